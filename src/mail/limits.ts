/** Limits of the e-mail channel (the issue's « > 10 MB attachments, > 10 PDFs »). */
export const MAIL_LIMITS = {
  /** Largest PDF accepted, in bytes (decoded). */
  maxAttachmentBytes: 10 * 1024 * 1024,
  /** Most PDFs one message may carry (one draft each). */
  maxPdfsPerMessage: 10,
  /**
   * Largest raw message downloaded. Ten 10 MB PDFs in base64 plus text fit; above that only the
   * headers are read and the sender gets a « too large » answer.
   */
  maxMessageBytes: 160 * 1024 * 1024,
  /** How deep attached/forwarded messages are opened looking for PDFs. */
  maxNestingDepth: 3,
  /** Reply lines beyond this are ignored (a reply is a handful of commands, not a novel). */
  maxReplyLines: 30,
} as const;
