// Severities as the output formats need them: an order for --fail-on, SARIF levels and GitHub's security-severity.
import { severityRank, type Severity } from '../core/rule.js';

/** True when `severity` is at or above `threshold` (critical > high > medium > low > info). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** SARIF `level`: GitHub shows error/warning/note; security-severity below refines the ranking. */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

/**
 * GitHub code scanning's `security-severity` (0.0-10.0, CVSS-like bands: >= 9 critical, >= 7 high,
 * >= 4 medium, > 0 low), so alerts show the same severity as the terminal.
 */
export function securitySeverity(severity: Severity): string {
  switch (severity) {
    case 'critical':
      return '9.5';
    case 'high':
      return '8.0';
    case 'medium':
      return '5.5';
    case 'low':
      return '3.0';
    default:
      return '1.0';
  }
}
