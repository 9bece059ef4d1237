// A tiny levelled logger. Never log personal data (names, emails, phones, raw tokens) through it.
type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

let threshold: Level = (process.env.LOG_LEVEL as Level) || 'info';

export function setLogLevel(level: Level) {
  threshold = level;
}

function write(level: Exclude<Level, 'silent'>, message: string, fields?: Record<string, unknown>) {
  if (order[level] < order[threshold]) return;
  const line = fields ? `${message} ${JSON.stringify(fields)}` : message;
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`[${level}] ${line}\n`);
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
};
