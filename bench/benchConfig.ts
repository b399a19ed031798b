// Stack configs for the benchmark: n teams with every feature the platform has switched on, so
// the numbers are those of the heaviest realistic stack.

export function teamName(i: number): string {
    return `team${String(i + 1).padStart(3, "0")}`;
}

/** The engines the benchmark measures, each on a stack of its own. */
export type BenchEngine = "flux1" | "flux2";

export function benchConfig(teams: number, engine: BenchEngine = "flux1"): { config: Record<string, string>; secretKeys: string[] } {
    const names = Array.from({ length: teams }, (_, i) => teamName(i));
    const entries = names.map((name, i) => ({
        name,
        branch: "main",
        path: "deploy",
        // Each engine's own settings (Flux v2 syncs in the shared controllers, no pod per team).
        flux: engine === "flux1" ? { gitPollInterval: "2m", args: ["--sync-garbage-collection"] } : { interval: "2m" },
        slack: { channel: `${name}-deploys` },
        podSecurity: i % 2 === 0 ? "restricted" : "baseline",
        policies: { containerResources: true },
        quota: { cpu: "4", memory: "8Gi", pods: 50 },
        limits: { defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { memory: "512Mi" } },
    }));
    const webhooks = Object.fromEntries(names.map((name) => [name, `https://hooks.slack.com/services/T0/B0/${name}`]));
    return {
        config: {
            "github:owner": "bench-org",
            "platform:engine": engine,
            "platform:cluster": JSON.stringify({ repo: "dev-cluster", branch: "main" }),
            "platform:network": JSON.stringify({ ingressNamespaces: ["ingress-nginx"] }),
            "platform:flagger": JSON.stringify({ enabled: true, slack: { channel: "platform-deploys" } }),
            "platform:slackWebhook": "https://hooks.slack.com/services/T0/B0/platform",
            "platform:teamSlackWebhooks": JSON.stringify(webhooks),
            "platform:teams": JSON.stringify(entries),
        },
        secretKeys: ["platform:slackWebhook", "platform:teamSlackWebhooks"],
    };
}
