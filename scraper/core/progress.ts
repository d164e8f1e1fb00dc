// A progress bar on a terminal, plain log lines otherwise (CI, pipes, the tests).
import cliProgress from "cli-progress";

export interface Progress {
  total(n: number): void;
  tick(line: string): void;
  warn(line: string): void;
  stop(): void;
}

export class BarProgress implements Progress {
  private bars = new cliProgress.MultiBar(
    { format: "{bar} {value}/{total} {last}", hideCursor: true, clearOnComplete: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  private bar = this.bars.create(1, 0, { last: "" });
  total(n: number): void {
    this.bar.setTotal(Math.max(n, 1));
  }
  tick(line: string): void {
    this.bar.increment(1, { last: line.length > 60 ? `${line.slice(0, 57)}...` : line });
  }
  warn(line: string): void {
    this.bars.log(`${line}\n`);
  }
  stop(): void {
    this.bars.stop();
  }
}

export class LineProgress implements Progress {
  private done = 0;
  private n = 0;
  constructor(private out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}
  total(n: number): void {
    this.n = n;
  }
  tick(line: string): void {
    this.out(`[${++this.done}/${this.n}] ${line}`);
  }
  warn(line: string): void {
    this.out(`WARN ${line}`);
  }
  stop(): void {}
}

export class SilentProgress implements Progress {
  total(): void {}
  tick(): void {}
  warn(): void {}
  stop(): void {}
}

export function progressFor(isTty: boolean): Progress {
  return isTty ? new BarProgress() : new LineProgress();
}
