//! Compressed sparse column (CSC) matrices for the LCA engine, built from triplets with
//! duplicates summed, remembering which stored value every input triplet went to (its
//! *slot*) so that Monte Carlo draws can rewrite the values without rebuilding the pattern.
//!
//! ```
//! use tanso::lca::sparse::Csc;
//! // [[1, 0], [-0.5, 1]] given with a duplicate (-0.25 twice)
//! let (m, slots) = Csc::from_triplets(2, 2, &[0, 1, 1, 1], &[0, 0, 0, 1], &[1.0, -0.25, -0.25, 1.0]);
//! assert_eq!(m.nnz(), 3);
//! assert_eq!(slots, vec![0, 1, 1, 2]);
//! let mut y = vec![0.0; 2];
//! m.mul_vec(&[2.0, 1.0], &mut y);
//! assert_eq!(y, vec![2.0, 0.0]);
//! ```

/// A sparse matrix in compressed sparse column form: the row indices of column `j` are
/// `row_idx[col_ptr[j]..col_ptr[j + 1]]`, sorted ascending, each once.
#[derive(Debug, Clone, PartialEq)]
pub struct Csc {
    /// Number of rows.
    pub nrows: usize,
    /// Number of columns.
    pub ncols: usize,
    /// Start of each column in `row_idx`/`values`; length `ncols + 1`.
    pub col_ptr: Vec<usize>,
    /// Row index of each stored value.
    pub row_idx: Vec<usize>,
    /// The stored values.
    pub values: Vec<f64>,
}

impl Csc {
    /// Builds the matrix from triplets `(rows[k], cols[k], vals[k])`, summing duplicates.
    /// Returns the matrix and, for each triplet, the index of the stored value it went to.
    /// Indices must be in range (the builders check them before calling this).
    pub fn from_triplets(
        nrows: usize,
        ncols: usize,
        rows: &[usize],
        cols: &[usize],
        vals: &[f64],
    ) -> (Csc, Vec<usize>) {
        let len = rows.len().min(cols.len()).min(vals.len());
        // counting sort by column, then by row within each column
        let mut count = vec![0usize; ncols + 1];
        for &c in &cols[..len] {
            count[c + 1] += 1;
        }
        for j in 0..ncols {
            count[j + 1] += count[j];
        }
        let mut order = vec![0usize; len];
        let mut next = count.clone();
        for k in 0..len {
            let c = cols[k];
            order[next[c]] = k;
            next[c] += 1;
        }
        let mut col_ptr = Vec::with_capacity(ncols + 1);
        let mut row_idx = Vec::with_capacity(len);
        let mut values = Vec::with_capacity(len);
        let mut slots = vec![0usize; len];
        col_ptr.push(0);
        for j in 0..ncols {
            let seg = &mut order[count[j]..count[j + 1]];
            seg.sort_unstable_by_key(|&k| (rows[k], k));
            let mut last_row = usize::MAX;
            for &k in seg.iter() {
                if rows[k] != last_row {
                    row_idx.push(rows[k]);
                    values.push(0.0);
                    last_row = rows[k];
                }
                let slot = values.len() - 1;
                values[slot] += vals[k];
                slots[k] = slot;
            }
            col_ptr.push(row_idx.len());
        }
        (
            Csc {
                nrows,
                ncols,
                col_ptr,
                row_idx,
                values,
            },
            slots,
        )
    }

    /// Number of stored values.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// The stored entries of column `j` as (row, value) pairs.
    pub fn column(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.col_ptr[j]..self.col_ptr[j + 1];
        self.row_idx[range.clone()]
            .iter()
            .copied()
            .zip(self.values[range].iter().copied())
    }

    /// The stored value at (i, j), or 0 when the entry is not stored.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        let range = self.col_ptr[j]..self.col_ptr[j + 1];
        match self.row_idx[range.clone()].binary_search(&i) {
            Ok(p) => self.values[range.start + p],
            Err(_) => 0.0,
        }
    }

    /// y = M x (y has `nrows` entries, x has `ncols`).
    pub fn mul_vec(&self, x: &[f64], y: &mut [f64]) {
        y.iter_mut().for_each(|v| *v = 0.0);
        for (j, &xj) in x.iter().enumerate().take(self.ncols) {
            if xj == 0.0 {
                continue;
            }
            for p in self.col_ptr[j]..self.col_ptr[j + 1] {
                y[self.row_idx[p]] += self.values[p] * xj;
            }
        }
    }

    /// y = Mᵀ x (y has `ncols` entries, x has `nrows`).
    pub fn mul_t_vec(&self, x: &[f64], y: &mut [f64]) {
        for (j, yj) in y.iter_mut().enumerate().take(self.ncols) {
            let mut s = 0.0;
            for p in self.col_ptr[j]..self.col_ptr[j + 1] {
                s += self.values[p] * x[self.row_idx[p]];
            }
            *yj = s;
        }
    }

    /// The largest absolute column sum (the 1-norm), used to scale residuals.
    pub fn norm1(&self) -> f64 {
        (0..self.ncols)
            .map(|j| self.column(j).map(|(_, v)| v.abs()).sum::<f64>())
            .fold(0.0, f64::max)
    }
}
