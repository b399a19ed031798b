// The attack table in docs/fence.md, written from the real API server's answers (every
// tested version's), so the numbers in the docs are the ones the tests measure: `npm run
// docs:attacks` writes it between its markers; the cluster tier checks it.
import * as path from "path";
import { Cluster, Request } from "../kit/cluster";
import { leftToControllers } from "../kit/flux2Rows";
import { attacks } from "../kit/tables";
import { ServerVerdict } from "./replay";

export const attackDocPath = path.join(__dirname, "..", "..", "docs", "fence.md");
export const attackDocCommand = "npm run docs:attacks";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Who sends a request, and whom it impersonates. */
function sender(request: Request): string {
    const as = request.impersonate;
    const impersonated = as === undefined ? ""
        : "serviceAccount" in as ? ` impersonating \`system:serviceaccount:${as.serviceAccount.namespace}:${as.serviceAccount.name}\``
            : ` impersonating \`${cell(as.user)}\`${as.groups?.length ? ` in \`${cell(as.groups.join(", "))}\`` : ""}`;
    return `\`${cell(request.user.username)}\`${impersonated}`;
}

/**
 * The block of docs/fence.md between the command's markers: each attack as the kit
 * sends it, and what the API server of every tested version answered (the newest's words).
 */
export function renderAttackBlock(kit: Cluster, answers: ReadonlyMap<string, readonly ServerVerdict[]>): string {
    const versions = [...answers.keys()];
    const newest = answers.get(versions[0])!;
    const denied = newest.filter((v) => !v.allowed).length;
    const decidedBy = (i: number) => versions.filter((v) => !answers.get(v)![i].allowed && answers.get(v)![i].layer === newest[i].layer).join(", ");
    return [
        "<!-- From test/kit/tables.ts, sent to real API servers; test/cluster/platform.spec.ts fails when this block and they disagree. -->",
        "",
        "Each row is one request a team's Flux (or another pod of the team's namespace) sends to the",
        "API server of the cluster the example stack (`Pulumi.migration.yaml`) makes, with a third team,",
        "`team3`, synced by Flux v2. It is sent to a real kube-apiserver of each Kubernetes version",
        `the platform is tested on (${versions.join(" and ")}, built from source by the tests), holding every`,
        "object the program creates, the charts it installs and what the Flux Operator installs, as",
        "the principal named (its own client certificate, and its Impersonate-* headers), writes as",
        "dry runs. The test kit in `test/kit/` decides it too, and the tests fail where the two",
        "disagree. `team1` enforces `baseline`, `team2` and `team3` asked for `restricted`. A Flux v2",
        "team's requests come from the account its Kustomization impersonates, `flux-tenant`:",
        "kustomize-controller applies everything in the team's repo as that account.",
        "",
        `**${newest.length} attacks tried, ${denied} denied.**`,
        "",
        "| # | attack | request | denied by | decided by Kubernetes | the API server's answer |",
        "|---|---|---|---|---|---|",
        ...attacks.map((attack, i) => {
            const request = attack.request(attack.given ? attack.given(kit) : kit);
            const verdict = newest[i];
            return `| ${i + 1} | ${cell(attack.attack)} | \`${request.method} ${cell(request.path)}\` as ${sender(request)} | ` +
                `${verdict.allowed ? "**ALLOWED**" : cell(verdict.layer ?? "")} | ${decidedBy(i)} | ${cell(verdict.reason)} |`;
        }),
        "",
        "The API server admits these (the tests send them too): what refuses them is a Flux",
        "controller's flag or behaviour, named with its source.",
        "",
        "| # | attempt | request | refused by |",
        "|---|---|---|---|",
        ...leftToControllers.map((row, i) => {
            const request = row.request(kit);
            return `| ${i + 1} | ${cell(row.attempt)} | \`${request.method} ${cell(request.path)}\` as ${sender(request)} | ${cell(row.refusedBy)} |`;
        }),
        "",
        "Not decided here: Gatekeeper's constraints and webhooks (no Gatekeeper pod runs in the tests,",
        "so its webhook configurations are not applied; they only refuse more), and whatever needs a",
        "node (the kubelet's own checks, AppArmor, SELinux) or a network plugin (NetworkPolicy).",
    ].join("\n");
}
