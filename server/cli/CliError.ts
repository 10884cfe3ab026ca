/** A command-line failure whose message is all the user needs: printed alone, exit code 2. */
export class CliError extends Error {}
