/**
 * A duration as the console shows it: tenths of a second while short (a lag, a transaction held open), whole
 * seconds up to two minutes, then minutes and seconds, then hours and minutes (a rebuild's time left).
 */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 120) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  return minutes < 60 ? `${minutes} min ${whole % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
