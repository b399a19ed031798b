// The attack table in docs/tenant-isolation.md, written from the kit's decisions, so the numbers
// in the docs are the ones the tests measure (`npm run docs:attacks` writes it between its
// markers; a spec checks it).
import * as path from "path";
import { Cluster, Request, Verdict } from "./cluster";
import { leftToControllers } from "./flux2Rows";
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

/** Who sends a request, and whom it impersonates. */
function sender(request: Request): string {
    const as = request.impersonate;
    const impersonated = as === undefined ? ""
        : "serviceAccount" in as ? ` impersonating \`system:serviceaccount:${as.serviceAccount.namespace}:${as.serviceAccount.name}\``
            : ` impersonating \`${cell(as.user)}\`${as.groups?.length ? ` in \`${cell(as.groups.join(", "))}\`` : ""}`;
    return `\`${cell(request.user.username)}\`${impersonated}`;
}

/** The block of docs/tenant-isolation.md between the command's markers. */
export function renderAttackBlock(results: readonly AttackResult[], cluster: Cluster): string {
    const denied = results.filter((r) => !r.verdict.allowed).length;
    return [
        "<!-- From test/kit/tables.ts; test/kit/fence.spec.ts fails when this block and the kit disagree. -->",
        "",
        "Each row is one request a team's Flux (or another pod of the team's namespace) sends to the",
        "API server of the cluster the example stack (`Pulumi.dev.yaml`) makes, with a third team,",
        "`team3`, synced by Flux v2. The test kit in `test/kit/` decides it as the cluster would, from",
        "the objects the program creates and the RBAC of what its Helm releases and the Flux Operator",
        "install: impersonation, RBAC (with the escalation check on roles and bindings), Pod Security",
        "Admission, then the ValidatingAdmissionPolicies. `team1` enforces `baseline`, `team2` and",
        "`team3` asked for `restricted`. A Flux v2 team's requests come from the account its",
        "Kustomization impersonates, `flux-tenant`: kustomize-controller applies everything in the",
        "team's repo as that account.",
        "",
        `**${results.length} attacks tried, ${denied} denied.**`,
        "",
        "| # | attack | request | denied by | the API server's answer |",
        "|---|---|---|---|---|",
        ...results.map(({ attack, request, verdict }, i) =>
            `| ${i + 1} | ${cell(attack.attack)} | \`${request.method} ${cell(request.path)}\` as ${sender(request)} | ` +
            `${verdict.allowed ? "**ALLOWED**" : cell(verdict.layer ?? "")} | ${cell(verdict.reason)} |`),
        "",
        "The API server admits these, and the kit models only the API server: what refuses them is",
        "a Flux controller's flag or behaviour, named with its source. The tests check that the API",
        "server does admit them.",
        "",
        "| # | attempt | request | refused by |",
        "|---|---|---|---|",
        ...leftToControllers.map((row, i) => {
            const request = row.request(cluster);
            return `| ${i + 1} | ${cell(row.attempt)} | \`${request.method} ${cell(request.path)}\` as ${sender(request)} | ${cell(row.refusedBy)} |`;
        }),
        "",
        "Not modelled by the kit: mutating admission, Gatekeeper's constraints (they only refuse more),",
        "and the checks of Pod Security Admission that no row needs (AppArmor, SELinux, /proc mount, sysctls).",
    ].join("\n");
}
