import type { Command } from '../command.js';

// Placeholder until its issue lands (replaced by the owner of this command).
export const summary = '(à venir)';

const command: Command = async (_argv, io) => {
  io.stderr.write('facteur chat : pas encore disponible.\n');
  return 1;
};
export default command;
