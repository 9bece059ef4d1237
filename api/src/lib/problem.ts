// RFC 7807 problem details: every error the API returns has this shape.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ProblemFieldError {
  /** Where the fault is: a JSON path ("pages.0.questions.1.id"), a question id or "row 17". */
  path: string;
  message: string;
  row?: number;
  /** A stable code for the fault (e.g. "duplicate_question_id"); clients translate it with `params`. */
  code?: string;
  params?: Record<string, string | number>;
  /** The message in each language (faults in a customer's answers, shown on the survey page). */
  messages?: Record<string, string>;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ProblemFieldError[],
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }

  toProblem(): Problem {
    return {
      type: problemType(this.status),
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

function problemType(status: number): string {
  return status === 500 ? 'about:blank' : `https://httpstatuses.io/${status}`;
}

export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    'Content-Type': 'application/problem+json; charset=utf-8',
  });
}

export const badRequest = (detail: string, errors?: ProblemFieldError[]) => new ProblemError(400, 'Bad Request', detail, errors);
export const notFound = (detail = 'Not found') => new ProblemError(404, 'Not Found', detail);
export const conflict = (detail: string) => new ProblemError(409, 'Conflict', detail);
export const unprocessable = (detail: string, errors?: ProblemFieldError[]) => new ProblemError(422, 'Unprocessable Entity', detail, errors);

/** Turns zod issues into field errors with dotted paths. */
export function zodIssuesToErrors(issues: { path: PropertyKey[]; message: string; code?: string }[]) {
  return issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
    ...(i.code ? { code: i.code } : {}),
  }));
}
