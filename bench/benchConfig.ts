// Stack configs for the benchmark: n teams with every feature the platform has switched on, so
// the numbers are those of the heaviest realistic stack.

export function teamName(i: number): string {
    return `team${String(i + 1).padStart(3, "0")}`;
}

export function benchConfig(teams: number): { config: Record<string, string>; secretKeys: string[] } {
    const entries = Array.from({ length: teams }, (_, i) => ({
        name: teamName(i),
        branch: "main",
        path: "deploy",
        flux: { gitPollInterval: "2m", args: ["--sync-garbage-collection"] },
    }));
    return {
        config: {
            "github:owner": "bench-org",
            "platform:cluster": JSON.stringify({ repo: "dev-cluster", branch: "main" }),
            "platform:teams": JSON.stringify(entries),
        },
        secretKeys: [],
    };
}
