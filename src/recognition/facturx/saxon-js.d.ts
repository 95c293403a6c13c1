/** The small part of SaxonJS 2 (which ships no types) the Schematron runner uses. */
declare module 'saxon-js' {
  /** A node of SaxonJS's own DOM (opaque here). */
  export type SaxonNode = object;
  interface TransformOptions {
    stylesheetInternal: unknown;
    stylesheetBaseURI?: string;
    sourceText?: string;
    destination: 'document';
    documentPool?: Record<string, SaxonNode>;
  }
  interface SaxonJSApi {
    transform(options: TransformOptions, mode: 'sync'): { principalResult: SaxonNode };
    getResource(options: { text: string; type: 'xml'; baseURI?: string }): Promise<SaxonNode>;
    XPath: {
      evaluate(
        xpath: string,
        context: SaxonNode,
        options?: { resultForm?: 'array' | 'default'; namespaceContext?: Record<string, string> },
      ): unknown;
    };
  }
  const SaxonJS: SaxonJSApi;
  export default SaxonJS;
}
