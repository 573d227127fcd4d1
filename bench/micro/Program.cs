using BenchmarkDotNet.Running;

// bench/run-micro.sh passes its arguments through: --filter '*Redaction*', --job short, --list flat, ...
BenchmarkSwitcher.FromAssembly(typeof(AgentVault.Bench.Micro.RouteMatchBenchmarks).Assembly).Run(args);
