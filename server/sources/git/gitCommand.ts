import { execFile } from 'node:child_process';

export interface GitOptions {
  /** The repository to run in (a bare mirror). */
  cwd: string;
  /** Where the git binary is found; the only variable of the parent's environment passed on. */
  searchPath: string;
  /** Configuration for this one command (`-c` would show it in the process list, so it goes through the environment). */
  config?: Record<string, string>;
  signal?: AbortSignal;
  /** The most bytes of output read before the command is stopped. */
  maxBytes?: number;
}

export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/**
 * Settings every command runs with, whatever a repository's own config says: no hooks, no
 * credential helpers or prompts, no protocol but those allowed per command, no redirects (an
 * allowed host must not send git elsewhere), no submodules, no fsmonitor program.
 */
const hardened: Record<string, string> = {
  'core.hooksPath': '/dev/null',
  'core.fsmonitor': 'false',
  'credential.helper': '',
  'protocol.allow': 'never',
  'http.followRedirects': 'false',
  'fetch.recurseSubmodules': 'false',
  'submodule.recurse': 'false',
  'gc.auto': '0',
};

/**
 * Runs git with a clean environment (no HOME, no system or global config, no terminal) and the
 * given configuration. Output is a Buffer: paths and file contents are bytes, not text.
 */
export function git(args: string[], options: GitOptions): Promise<Buffer> {
  const config = Object.entries({ ...hardened, ...options.config });
  const env: Record<string, string> = {
    PATH: options.searchPath,
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'false',
    SSH_ASKPASS: 'false',
    GIT_CONFIG_COUNT: String(config.length),
    LC_ALL: 'C',
  };
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: options.cwd, env, encoding: 'buffer', maxBuffer: options.maxBytes ?? 64 * 1024 * 1024, signal: options.signal },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const said = stderr.toString('utf8').trim().split('\n').slice(-3).join(' ');
        reject(new GitCommandError(`git ${args[0]} failed: ${said || error.message}`, said));
      },
    );
  });
}
