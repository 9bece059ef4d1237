// Typed errors so callers (the API layer) can map statistical refusals to HTTP answers (e.g. 422)
// without parsing messages.

export class StatisticsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Exact Shapley/LMG needs all 2^p subsets; beyond 15 drivers that is too slow to do per request. */
export class TooManyDriversError extends StatisticsError {
  readonly drivers: number;
  readonly maxDrivers: number;
  constructor(drivers: number, maxDrivers: number) {
    super('too_many_drivers', `Shapley/LMG is exact only up to ${maxDrivers} drivers; got ${drivers}.`);
    this.drivers = drivers;
    this.maxDrivers = maxDrivers;
  }
}

/** Driver analysis is refused when n < p + 2 (docs/statistics.md#minimum-n): the regression has no residual df. */
export class InsufficientSampleError extends StatisticsError {
  readonly n: number;
  readonly required: number;
  constructor(n: number, required: number) {
    super('insufficient_sample', `At least ${required} complete responses are needed; got ${n}.`);
    this.n = n;
    this.required = required;
  }
}

/** A (correlation) matrix that cannot be inverted, e.g. two drivers that are perfectly collinear. */
export class SingularMatrixError extends StatisticsError {
  constructor(message = 'Matrix is singular (or numerically so); drivers are collinear.') {
    super('singular_matrix', message);
  }
}

/** A variable with zero variance has no correlation with anything. `indexes` are in the input order (y = 0). */
export class ConstantVariableError extends StatisticsError {
  readonly indexes: number[];
  constructor(indexes: number[]) {
    super('constant_variable', `Variable(s) ${indexes.join(', ')} have zero variance; correlations are undefined.`);
    this.indexes = indexes;
  }
}
