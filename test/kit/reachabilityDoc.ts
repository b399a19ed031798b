// The reachability table of docs/fence.md, written from the kit's model of the example
// stack's NetworkPolicies (test/kit/reachability.ts); `node -r ts-node/register/transpile-only
// test/kit/writeReachabilityDoc.ts` writes it between its markers, and a spec checks it.
import * as path from "path";
import { Reachability, teamPodName } from "./reachability";

export const reachabilityDocPath = path.join(__dirname, "..", "..", "docs", "fence.md");
export const reachabilityDocCommand = "npm run docs:reachability";

export function renderReachabilityBlock(table: Reachability): string {
    const { pods, sources, cells } = table;
    const teamPods = pods.filter((p) => p.name === teamPodName).length;
    const mark = (reachable: boolean, allowedForTeam: boolean) => reachable ? (allowedForTeam ? "yes" : "**YES**") : "no";
    const rows = pods.flatMap((pod) => pod.ports.map((port) => {
        const row = cells.filter((c) => c.pod === pod && c.port === port);
        return `| \`${pod.namespace}\` ${pod.name} | ${port.port}${port.name ? ` (${port.name})` : ""} | ` +
            sources.map((s) => {
                const cell = row.find((c) => c.source === s)!;
                return mark(cell.reachable, cell.source.team === undefined || cell.teamMay !== undefined);
            }).join(" | ") + " |";
    }));
    const teamCells = cells.filter((c) => c.source.team !== undefined);
    const teamReached = teamCells.filter((c) => c.reachable);
    const reasons = [...new Set(teamReached.flatMap((c) => c.teamMay && c.pod.namespace !== c.source.namespace ? [`${c.pod.name}:${c.port.port}: ${c.teamMay}`] : []))];
    return [
        "",
        `Decided by the test kit's NetworkPolicy model (\`test/kit/networkPolicy.ts\`) over the example stack, its Flux v2 team with ` +
        `dedicated controllers: ${pods.length - teamPods} pods the platform runs and a pod of each of ${teamPods} teams, ` +
        `${cells.length / sources.length} ports, from ${sources.length} sources; ` +
        `${cells.filter((c) => c.reachable).length} of ${cells.length} connections admitted, ` +
        `${teamReached.length} of ${teamCells.length} from a team's pod, each of those one of: its own namespace, or`,
        "",
        ...reasons.map((r) => `- ${r}`),
        "",
        "A MODEL: no network plugin runs in the tests, so no packet is sent; the policies themselves are taken by the",
        "real API servers of the cluster tier. **YES** would be a team reaching what it should not, and fails",
        "`test/fence/reachability.spec.ts`.",
        "",
        `| pod | port | ${sources.map((s) => s.name).join(" | ")} |`,
        `|---|---|${sources.map(() => "---").join("|")}|`,
        ...rows,
        "",
    ].join("\n");
}
