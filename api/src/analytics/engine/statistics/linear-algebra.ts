// Small dense linear algebra for driver analysis (p ≤ ~30 drivers): plain number[][] matrices,
// row-major. Nothing here is tuned for large matrices; clarity and stability first.

import { SingularMatrixError } from './errors.ts';

export type Matrix = number[][];
export type Vector = number[];

export function identity(size: number): Matrix {
  return Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => (i === j ? 1 : 0)));
}

export function transpose(a: Matrix): Matrix {
  if (a.length === 0) return [];
  return a[0].map((_, j) => a.map((row) => row[j]));
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  const inner = b.length;
  if (a.some((row) => row.length !== inner)) throw new RangeError('multiply: inner dimensions differ');
  const columns = inner === 0 ? 0 : b[0].length;
  return a.map((row) => {
    const out = new Array<number>(columns).fill(0);
    for (let k = 0; k < inner; k++) {
      const aik = row[k];
      const bk = b[k];
      for (let j = 0; j < columns; j++) out[j] += aik * bk[j];
    }
    return out;
  });
}

export function multiplyVector(a: Matrix, v: Vector): Vector {
  return a.map((row) => {
    if (row.length !== v.length) throw new RangeError('multiplyVector: dimensions differ');
    let sum = 0;
    for (let j = 0; j < v.length; j++) sum += row[j] * v[j];
    return sum;
  });
}

export function dot(a: Vector, b: Vector): number {
  if (a.length !== b.length) throw new RangeError('dot: lengths differ');
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function assertSquare(a: Matrix, name: string): number {
  const size = a.length;
  if (a.some((row) => row.length !== size)) throw new RangeError(`${name}: matrix must be square`);
  return size;
}

// Pivots below this (relative to the largest entry) are treated as zero: correlation matrices of
// collinear drivers are singular only up to rounding.
const SINGULARITY_TOLERANCE = 1e-12;

/**
 * Gauss–Jordan elimination with partial pivoting on [A | B]; returns X with A X = B.
 * Throws SingularMatrixError when A is (numerically) singular.
 */
function gaussJordan(a: Matrix, b: Matrix): Matrix {
  const size = assertSquare(a, 'solve');
  if (b.length !== size) throw new RangeError('solve: right-hand side has the wrong number of rows');
  const m = a.map((row) => row.slice());
  const x = b.map((row) => row.slice());
  const scale = m.reduce((max, row) => row.reduce((mx, value) => Math.max(mx, Math.abs(value)), max), 0);
  const tolerance = SINGULARITY_TOLERANCE * (scale || 1);
  for (let col = 0; col < size; col++) {
    let pivotRow = col;
    for (let row = col + 1; row < size; row++) if (Math.abs(m[row][col]) > Math.abs(m[pivotRow][col])) pivotRow = row;
    if (Math.abs(m[pivotRow][col]) <= tolerance) throw new SingularMatrixError();
    [m[col], m[pivotRow]] = [m[pivotRow], m[col]];
    [x[col], x[pivotRow]] = [x[pivotRow], x[col]];
    const pivot = m[col][col];
    for (let j = 0; j < size; j++) m[col][j] /= pivot;
    for (let j = 0; j < x[col].length; j++) x[col][j] /= pivot;
    for (let row = 0; row < size; row++) {
      if (row === col) continue;
      const factor = m[row][col];
      if (factor === 0) continue;
      for (let j = 0; j < size; j++) m[row][j] -= factor * m[col][j];
      for (let j = 0; j < x[row].length; j++) x[row][j] -= factor * x[col][j];
    }
  }
  return x;
}

export function inverse(a: Matrix): Matrix {
  return gaussJordan(a, identity(a.length));
}

/** Solves A x = b. */
export function solve(a: Matrix, b: Vector): Vector {
  return gaussJordan(
    a,
    b.map((value) => [value]),
  ).map((row) => row[0]);
}

export interface EigenDecomposition {
  /** Eigenvalues, largest first. */
  values: Vector;
  /** Eigenvectors as columns: vectors[i][k] is component i of the k-th eigenvector (unit length). */
  vectors: Matrix;
}

/**
 * Eigendecomposition of a symmetric matrix by the cyclic Jacobi method: slow for big matrices but
 * unconditionally stable and accurate to rounding for the small correlation matrices used here.
 */
export function symmetricEigen(a: Matrix): EigenDecomposition {
  const size = assertSquare(a, 'symmetricEigen');
  const m = a.map((row) => row.slice());
  const v = identity(size);
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    let total = 0;
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        total += m[i][j] * m[i][j];
        if (i !== j) offDiagonal += m[i][j] * m[i][j];
      }
    }
    if (offDiagonal <= 1e-30 * total || offDiagonal === 0) break;
    for (let p = 0; p < size - 1; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = m[p][q];
        if (apq === 0) continue;
        // Rotation angle that zeroes m[p][q] (Golub & Van Loan, sym.schur2).
        const theta = (m[q][q] - m[p][p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const mkp = m[k][p];
          const mkq = m[k][q];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < size; k++) {
          const mpk = m[p][k];
          const mqk = m[q][k];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((i, j) => m[j][j] - m[i][i]);
  return {
    values: order.map((i) => m[i][i]),
    vectors: v.map((row) => order.map((i) => row[i])),
  };
}
