// What a stack reaches outside the cluster, read from the program's own objects and the upstream
// ones it installs at the pinned versions: the chart sources `pulumi` pulls from, the images the
// nodes pull, the git hosts Flux fetches from. `npm run docs:reach` writes it into
// docs/operations.md; test/cluster/upstream.spec.ts fails when the page is stale.
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { commandLine, flagValue, fluxdContainer, isFluxDeployment } from "../../policy/fluxd";
import { Recording } from "../kit/harness";
import { registryOf } from "../../components/shared/mirror";
import { fluxOperatorObjects, isFluxOperatorChart, Json, moduleDir, ReleaseInputs, renderReleaseParts } from "./upstream";

export const reachDocCommand = "npm run docs:reach";
export const reachDocPath = path.join(__dirname, "..", "..", "docs", "operations.md");

const kubeVersion = "1.36.1";

interface Reached {
    /** Who opens the connection. */
    readonly from: string;
    /** Host (and port or path) reached. */
    readonly to: string;
    /** What for: the charts, images or repos fetched there. */
    readonly what: Set<string>;
}

/** Every container image of a set of objects (pods, and any pod template at any depth). */
function imagesOf(objects: readonly Json[]): string[] {
    const found: string[] = [];
    const walk = (value: unknown): void => {
        if (Array.isArray(value)) {
            value.forEach(walk);
        } else if (value && typeof value === "object") {
            const o = value as Record<string, unknown>;
            for (const key of ["containers", "initContainers"]) {
                if (Array.isArray(o[key])) {
                    (o[key] as Json[]).forEach((c) => typeof c.image === "string" && found.push(c.image));
                }
            }
            Object.values(o).forEach(walk);
        }
    };
    walk(objects);
    return found;
}

export { registryOf };

/** The Flux images the operator runs for a FluxInstance: its registry, its release's images of its variant, its components. */
function fluxInstanceImages(spec: Json): string[] {
    const { registry, version, variant } = spec.distribution as { registry: string; version: string; variant?: string };
    const file = path.join(moduleDir("fluxOperator"), "config", "data", "flux-images", `v${version}`, `${variant ?? "upstream-alpine"}.yaml`);
    const [doc] = parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJS() as { images: { name: string; newTag: string; digest: string }[] });
    const components = spec.components as string[];
    return doc.images
        .map((i) => ({ component: i.name.slice(i.name.lastIndexOf("/") + 1), ...i }))
        .filter((i) => components.includes(i.component))
        .map((i) => `${registry}/${i.component}:${i.newTag}@${i.digest}`);
}

/** The SSH host of a git URL, `git@host:path` or `ssh://git@host[:port]/path`. */
function gitHost(url: string): string {
    const ssh = /^ssh:\/\/[^@]+@([^/:]+)(?::(\d+))?\//.exec(url);
    if (ssh) {
        return `${ssh[1]}:${ssh[2] ?? "22"}`;
    }
    const scp = /^[^@]+@([^:]+):/.exec(url);
    if (scp) {
        return `${scp[1]}:22`;
    }
    throw new Error(`not a git URL over SSH: ${url}`);
}

/** Everything the stack in `recording` reaches, one row per source and host. */
export function reached(recording: Recording): Reached[] {
    const rows = new Map<string, Reached>();
    const add = (from: string, to: string, what: string) => {
        const key = `${from}\u0000${to}`;
        const row = rows.get(key) ?? { from, to, what: new Set<string>() };
        row.what.add(what);
        rows.set(key, row);
    };
    const pulumi = "the machine running `pulumi`";
    const nodes = "the cluster's nodes (image pulls)";
    const pull = (images: string[]) => images.forEach((image) => add(nodes, registryOf(image), `\`${image}\``));

    for (const r of recording.resources) {
        const inputs = r.inputs as Json;
        if (r.type === "kubernetes:helm.sh/v3:Release") {
            const release = inputs as ReleaseInputs;
            if (release.chart.startsWith("oci://")) {
                add(pulumi, release.chart.slice("oci://".length).split("/")[0], `chart \`${release.chart}\` ${release.version}`);
            } else {
                add(pulumi, release.repositoryOpts!.repo!, `chart \`${release.chart}\` ${release.version}`);
            }
            if (isFluxOperatorChart(release)) {
                // Not in a Go module to render: the operator's own manifests name its image, unless
                // the values name another repository (the chart's tag is its appVersion, v<version>).
                const repository = (release.values as { image?: { repository?: string } } | undefined)?.image?.repository;
                pull(repository ? [`${repository}:v${release.version}`] : imagesOf(fluxOperatorObjects()));
            } else {
                const { objects, hooks } = renderReleaseParts(release, kubeVersion);
                pull(imagesOf([...objects, ...hooks]));
            }
        } else if (r.type === "kubernetes:fluxcd.controlplane.io/v1:FluxInstance") {
            pull(fluxInstanceImages(inputs.spec));
        } else if (r.type.startsWith("kubernetes:") && r.type !== "kubernetes:core/v1:Pod") {
            pull(imagesOf([inputs.spec ?? {}]));
        }
        if (r.type === "kubernetes:source.toolkit.fluxcd.io/v1:GitRepository") {
            add("source-controller (Flux v2)", gitHost(inputs.spec.url), `\`${inputs.spec.url}\``);
        }
        if (isFluxDeployment(r.type, inputs)) {
            // Read as the policy pack reads fluxd (either spelling of the flag).
            const container = fluxdContainer(inputs);
            const url = container && flagValue(commandLine(container), "--git-url");
            if (url) {
                add("fluxd (Flux v1)", gitHost(url), `\`${url}\``);
            }
        }
        if (r.type.startsWith("github:")) {
            add(pulumi, "api.github.com (or `github:baseUrl`)", "the GitHub provider: repositories, deploy keys, templates");
        }
    }
    return [...rows.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

export function renderReachBlock(recording: Recording): string {
    const rows = reached(recording);
    const lines = [
        `What the example stack reaches outside the cluster: ${rows.length} destinations, read from its objects, the charts rendered at their`,
        "pinned versions and the Flux Operator's image list for the pinned Flux release. The API server of the cluster, which",
        "`pulumi` and every controller reach, is not listed.",
        "",
        "| from | to | for |",
        "|---|---|---|",
        ...rows.map((r) => `| ${r.from} | ${r.to} | ${[...r.what].sort().join(", ")} |`),
    ];
    return lines.join("\n");
}
