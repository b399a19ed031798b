// What serverApply.ts measured, as the lines docs/scale.md shows in a block of its own: written by a
// full `npm run bench`, or alone by `BENCH_ONLY=server npm run bench`.
import { Refusal } from "../test/cluster/applyStack";
import { writeBlock } from "../test/kit/generatedBlock";
import { TeamCount } from "./teamObjects";

export const serverCommand = "npm run bench (real API server)";

/** The target: the whole stack applied in at most this long, nothing refused. */
export const serverTargetMs = 60_000;

export interface ServerApply {
    readonly version: string;
    readonly teams: number;
    readonly parallel: number;
    /** Recorded resources, of every type (those that are no Kubernetes object apply nothing). */
    readonly resources: number;
    readonly applied: number;
    readonly refused: readonly Refusal[];
    /** The apply, from the first request to the last answer. */
    readonly applyMs: number;
    readonly cores: number;
    /** The machine's 1-minute load average before the control plane started: above `cores`, others were running too. */
    readonly load: number;
    /** Starting the control plane (a cached build), not counted in the apply. */
    readonly startMs: number;
    /** Each distinct per-team count and how many teams have it: one entry when every team is alike. */
    readonly perTeam: ReadonlyArray<TeamCount & { readonly teams: number }>;
    /** Objects of no team. */
    readonly shared: number;
}

export function serverLines(m: ServerApply): { lines: string[]; met: boolean } {
    const seconds = m.applyMs / 1000;
    const perTeam = m.perTeam.map((c) => `${c.inNamespace + c.clusterScoped} (${c.inNamespace} in its namespace, ` +
        `${c.clusterScoped} cluster-scoped named for it)${m.perTeam.length > 1 ? ` for ${c.teams} teams` : m.teams > 1 ? ", every team alike" : ""}`);
    const met = m.refused.length === 0 && m.applyMs <= serverTargetMs;
    const lines = [
        `${m.teams} teams applied to a real Kubernetes ${m.version} API server (etcd, kube-apiserver and kube-controller-manager on loopback)`,
        `by server-side apply along the recorded dependencies, ${m.parallel} resources at a time`,
        `  recorded resources      ${m.resources}`,
        `  objects applied         ${m.applied}`,
        `  refused                 ${m.refused.length}`,
        ...m.refused.slice(0, 5).map((r) => `    ${r.resource}: ${r.object}: ${r.status} ${r.message}`),
        `  objects a team          ${perTeam.join("; ")}`,
        `  objects of no team      ${m.shared}`,
        `  apply                   ${seconds.toFixed(1)} s`,
        `  apply rate              ${(m.applied / seconds).toFixed(0)} objects/s`,
        `  control plane start     ${(m.startMs / 1000).toFixed(1)} s (not counted)`,
        `  load before the run     ${m.load.toFixed(1)} on ${m.cores} cores`,
        "",
        "Target",
        `  ${met ? "met    " : "MISSED "} ${m.teams} teams applied in at most ${serverTargetMs / 1000} s, nothing refused ` +
            `(${seconds.toFixed(1)} s, ${m.refused.length} refused)`,
    ];
    return { lines, met };
}

/** Rewrites the block in `file`. */
export function writeServerReport(file: string, lines: readonly string[], heading: string): void {
    writeBlock(file, serverCommand, ["", heading, "", "```", ...lines, "```", ""].join("\n"));
}
