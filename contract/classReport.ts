/**
 * A classifier's per-class results, small enough to travel in the evaluate step's result and the
 * run's status: with more than CLASS_REPORT_MAX_CLASSES classes only the ones with the most test
 * rows are listed, and the confusion matrix folds the others into one row and column.
 */
export const CLASS_REPORT_MAX_CLASSES = 50;

export interface ClassReportRow {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Test rows whose true class is this one. */
  readonly support: number;
}

export interface ClassReport {
  /** Classes the model knows, including any left out below. */
  readonly classCount: number;
  /** The class whose probability ROC AUC and average precision rank (binary tasks: the second of the sorted classes). */
  readonly positiveClass?: string;
  /** In the model's class order. */
  readonly perClass: ClassReportRow[];
  /** `counts[true][predicted]` in `labels` order; when classes were left out, the last label sums them. */
  readonly confusionMatrix: { readonly labels: string[]; readonly counts: number[][] };
  /** Set when classes were left out. */
  readonly note?: string;
}
