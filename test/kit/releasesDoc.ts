// The table of Flux v2 releases a stack may pin in docs/engines.md, written from
// components/shared/versions.ts (`npm run docs:releases` writes it between its markers; a spec
// checks it), so the docs and the validator name the same releases.
import * as path from "path";
import { fluxOperatorChart, fluxV2Releases, fluxV2Version } from "../../components/shared/versions";

export const releasesDocPath = path.join(__dirname, "..", "..", "docs", "engines.md");
export const releasesDocCommand = "npm run docs:releases";

export function renderReleasesBlock(): string {
    return [
        "",
        `The Flux Operator ${fluxOperatorChart.version} installs these Flux releases; the default is ${fluxV2Version}.`,
        "",
        "| Flux | pin | Kubernetes it is tested on | not installable |",
        "|---|---|---|---|",
        ...fluxV2Releases.map((r) => `| ${r.minor} | \`${r.newestPatch}\` (or an earlier ${r.minor}.x) | ` +
            `${r.kubernetes.oldest} to ${r.kubernetes.newest} | ${r.notCarried.length === 0 ? "none" : r.notCarried.join(", ")} |`),
        "",
    ].join("\n");
}
