/** One field a system would refuse (or did refuse), with the reason in words. */
export interface FieldProblem {
  /** Canonical field name (or the system's own field name when the system reported one we do not map). */
  field: string;
  reason: string;
}
