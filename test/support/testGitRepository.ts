import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A Git repository made with the git binary, committed to as a team would. */
export class TestGitRepository {
  private constructor(readonly dir: string) {}

  static async init(dir: string, branch = 'main'): Promise<TestGitRepository> {
    await mkdir(dir, { recursive: true });
    const repository = new TestGitRepository(dir);
    repository.git('init', '-q', '-b', branch);
    return repository;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: {
        PATH: process.env.PATH,
        HOME: this.dir,
        GIT_AUTHOR_NAME: 'Dana',
        GIT_AUTHOR_EMAIL: 'dana@example.com',
        GIT_COMMITTER_NAME: 'Dana',
        GIT_COMMITTER_EMAIL: 'dana@example.com',
      },
    }).toString();
  }

  async write(file: string, content: string | Buffer): Promise<void> {
    await mkdir(path.dirname(path.join(this.dir, file)), { recursive: true });
    await writeFile(path.join(this.dir, file), content);
  }

  /** Commits everything; returns the commit id. */
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }
}
