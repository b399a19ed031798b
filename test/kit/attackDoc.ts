// The attack table in docs/tenant-isolation.md, written from the kit's decisions, so the numbers
// in the docs are the ones the tests measure (`npm run docs:attacks` writes it between its
// markers; a spec checks it).
import * as path from "path";
import { Cluster, Request, Verdict } from "./cluster";
import { Attack, attacks } from "./tables";

export const attackDocPath = path.join(__dirname, "..", "..", "docs", "tenant-isolation.md");
export const attackDocCommand = "npm run docs:attacks";

export interface AttackResult {
    readonly attack: Attack;
    readonly request: Request;
    readonly verdict: Verdict;
}

/** Each attack against the cluster as it would stand, with what the cluster made of it. */
export function tryAttacks(cluster: Cluster): AttackResult[] {
    return attacks.map((attack) => {
        const given = attack.given ? attack.given(cluster) : cluster;
        const request = attack.request(given);
        return { attack, request, verdict: given.decide(request) };
    });
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The block of docs/tenant-isolation.md between the command's markers. */
export function renderAttackBlock(results: readonly AttackResult[]): string {
    const denied = results.filter((r) => !r.verdict.allowed).length;
    return [
        "<!-- From test/kit/tables.ts; test/kit/fence.spec.ts fails when this block and the kit disagree. -->",
        "",
        "Each row is one request a team's Flux (or another pod of the team's namespace) sends to the",
        "API server of the cluster the example stack (`Pulumi.dev.yaml`) makes. The test kit in",
        "`test/kit/` decides it as the cluster would, from the objects the program creates: RBAC",
        "(with the escalation check on roles and bindings), Pod Security Admission, then the",
        "ValidatingAdmissionPolicies. `team1` enforces `baseline`, `team2` asked for `restricted`.",
        "",
        `**${results.length} attacks tried, ${denied} denied.**`,
        "",
        "| # | attack | request | denied by | the API server's answer |",
        "|---|---|---|---|---|",
        ...results.map(({ attack, request, verdict }, i) =>
            `| ${i + 1} | ${cell(attack.attack)} | \`${request.method} ${cell(request.path)}\` as \`${cell(request.user.username)}\` | ` +
            `${verdict.allowed ? "**ALLOWED**" : cell(verdict.layer ?? "")} | ${cell(verdict.reason)} |`),
        "",
        "Not modelled by the kit: mutating admission, Gatekeeper's constraints (they only refuse more),",
        "and the checks of Pod Security Admission that no row needs (AppArmor, SELinux, /proc mount, sysctls).",
    ].join("\n");
}
