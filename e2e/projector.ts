import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The projector as its own process, exactly as `npm run projector` runs it, so a test can stop it and start
 * it again. A small artificial delay per batch keeps the consistency banner on screen long enough to be seen.
 */
export class ProjectorProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(private readonly settings: { databaseUrl: string; indexPrefix: string; delayMs: number }) {}

  /** Starts the projector; resolves once every projection has caught up with the log. */
  async start(): Promise<void> {
    if (this.child) return;
    this.output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'projections/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: this.settings.databaseUrl,
        ELASTICSEARCH_INDEX_PREFIX: this.settings.indexPrefix,
        PROJECTOR_DELAY_MS: String(this.settings.delayMs),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const started = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.caughtUp()) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`projector exited with ${code}:\n${this.output}`)));
    });
    await started;
  }

  /** The projector logs "caught up" once per projection when it has read everything committed so far. */
  private caughtUp(): boolean {
    const started = /"projections":\[([^\]]*)\]/.exec(this.output);
    if (!started?.[1]) return false;
    const names = started[1].split(',').map((name) => name.replaceAll('"', ''));
    return names.every((name) => this.output.includes(`"projection":"${name}","events"`));
  }

  /** SIGTERM: the projector finishes its current batch (or rolls it back) and exits. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
