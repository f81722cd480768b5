import { StringDecoder } from 'node:string_decoder';
import { Client, ClientChannel } from 'ssh2';

export interface TerminalSize {
  readonly rows: number;
  readonly cols: number;
}

/** An interactive shell on a pty. Output arrives as text decoded across chunk boundaries (a split UTF-8 character is kept whole). */
export interface ShellChannel {
  write(data: string): void;
  resize(size: TerminalSize): void;
  /** Ends the shell; `onExit` follows. */
  close(): void;
}

export interface ShellHandlers {
  onOutput(text: string): void;
  /** The remote exit status (null when the channel closed without one), or the signal that ended it. */
  onExit(code: number | null, signal?: string): void;
}

/** Opens a pty (xterm-256color at the given size) and a login shell over an existing connection. */
export function openShell(client: Client, size: TerminalSize, handlers: ShellHandlers, command?: string): Promise<ShellChannel> {
  const pty = { term: 'xterm-256color', rows: size.rows, cols: size.cols, width: 0, height: 0 };
  return new Promise((resolve, reject) => {
    const ready = (error: Error | undefined, channel: ClientChannel): void => {
      if (error) return reject(error);
      const decoder = new StringDecoder('utf8');
      let code: number | null = null;
      let signal: string | undefined;
      channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
        code = exitCode;
        signal = exitSignal;
      });
      channel.on('data', (chunk: Buffer) => handlers.onOutput(decoder.write(chunk)));
      channel.stderr.on('data', (chunk: Buffer) => handlers.onOutput(decoder.write(chunk)));
      channel.on('close', () => {
        const rest = decoder.end();
        if (rest) handlers.onOutput(rest);
        handlers.onExit(code, signal);
      });
      resolve({
        write: (data) => void channel.write(data),
        resize: ({ rows, cols }) => channel.setWindow(rows, cols, 0, 0),
        close: () => {
          channel.end();
          channel.close();
        },
      });
    };
    if (command) client.exec(command, { pty }, ready);
    else client.shell(pty, ready);
  });
}
