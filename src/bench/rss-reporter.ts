/**
 * Preloaded (`node --import`) into a CLI run by the benchmark: on exit, prints the process's peak
 * resident set size on stderr, so the figure is the command's own, not the benchmark's setup's.
 */
process.on("exit", () => {
  process.stderr.write(`\nkarma-bench-peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
