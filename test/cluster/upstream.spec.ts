// The upstream objects of the pinned releases, read offline: the CRDs serve every custom kind the
// example stack creates, each of its Helm releases renders, and the hand-written RBAC fixtures
// agree with the upstream manifests. Needs `node -r ts-node/register/transpile-only test/cluster/prepare.ts` once (npm run test:cluster runs it).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { Recording, runProgram } from "../kit/harness";
import { flaggerRbac, gatekeeperRbac } from "../kit/fixtures/charts";
import { fluxControllersRbac, fluxOperatorAccount } from "../kit/fixtures/flux2";
import { flaggerPods, fluxControllerPod, fluxOperatorPod, fluxOperatorPolicies, fluxShardPod, gatekeeperPods, shardedControllers } from "../kit/fixtures/network";
import { exampleStack } from "../kit/platformCluster";
import { blockOf } from "../kit/generatedBlock";
import { installedFluxKinds } from "../../components/engines/flux2/engine";
import { everyAddonTraits } from "../../components/addons/registry";
import { everyEngineAdmission } from "../../components/engines/registry";
import { fluxComponents } from "../../components/engines/flux2/fluxInstance";
import { parseDocuments } from "./goYaml";
import { reachDocCommand, reachDocPath, reached, registryOf, renderReachBlock } from "./reachDoc";
import { flaggerChartImages, fluxOperatorChart, gatekeeperChartImages } from "../../components/shared/versions";
import {
    fluxCrdsOf, fluxInstallObjects, fluxOperatorObjects, Json, moduleDir, ReleaseInputs, renderRelease, renderReleaseParts,
    upstreamCrds, upstreamCrdsByProject,
} from "./upstream";

const kubeVersion = "1.36.1";
const releaseType = "kubernetes:helm.sh/v3:Release";

let recorded: Promise<Recording> | undefined;
function recording(): Promise<Recording> {
    recorded ??= runProgram(exampleStack(), ["platform:teamSlackWebhooks"]).then((run) => {
        if (run.error) {
            throw run.error;
        }
        return run.recording;
    });
    return recorded;
}

/** A Pulumi Kubernetes type, "kubernetes:<group>/<version>:<Kind>" ("core" for the core group). */
function groupVersionKind(type: string): { group: string; version: string; kind: string } | undefined {
    const match = /^kubernetes:(?:([^/:]+)\/)?([^/:]+):(\w+)$/.exec(type);
    return match ? { group: match[1] ?? "", version: match[2], kind: match[3] } : undefined;
}

/** API groups the API server serves itself (no CRD): the core group and *.k8s.io. */
const builtIn = (group: string) => group === "" || group === "core" || group === "apps" || group === "batch" || group === "policy" ||
    group === "autoscaling" || group.endsWith(".k8s.io");

/** A Release is the provider's own resource: helm's release records are Secrets. */
const notAKind = "helm.sh";

/** Gatekeeper makes the CRD of each ConstraintTemplate's kind itself, from the template. */
const madeByGatekeeper = "constraints.gatekeeper.sh";

const rest = (o: Json) => {
    const { metadata, ...others } = o;
    return { name: metadata?.name as unknown, ...others };
};

describe("upstream objects of the pinned releases (test/cluster/upstream.ts)", () => {
    it("reads YAML as Go does where the npm yaml package fails: flagger's CRD file", () => {
        const file = path.join(moduleDir("flagger"), "charts", "flagger", "crds", "crd.yaml");
        const text = fs.readFileSync(file, "utf8");
        assert.ok(parseAllDocuments(text).some((doc) => doc.errors.length > 0), "the yaml package now reads flagger's CRDs: the trap is gone");
        const canary = parseDocuments(text, file).find((crd) => crd.spec.names.kind === "Canary");
        assert.match(canary?.spec.versions[0].schema.openAPIV3Schema.properties.apiVersion.description,
            /^APIVersion defines the versioned schema of this representation of an object\. .* More info: https:\/\/\S+#resources$/);
        assert.throws(() => parseDocuments("enabled: yes\n", "inline"), /YAML 1\.1 \(Go\) and 1\.2/);
        assert.deepEqual(parseDocuments("a: 'x\n  y'\n---\n---\nb: [1, \"on\"]\n", "inline"), [{ a: "x y" }, { b: [1, "on"] }]);
    });

    it("has CRDs of every pinned project, each a CustomResourceDefinition, none twice", () => {
        const byProject = upstreamCrdsByProject();
        for (const [project, crds] of Object.entries(byProject)) {
            assert.ok(crds.length > 0, `no CRDs of ${project}`);
        }
        assert.deepEqual(Object.fromEntries(Object.entries(byProject).map(([p, crds]) => [p, crds.length])),
            { fluxOperator: 4, flux: 14, flagger: 3, gatekeeper: 17 });
        const names = upstreamCrds().map((crd) => crd.metadata.name as string);
        assert.equal(new Set(names).size, names.length);
        assert.ok(upstreamCrds().every((crd) => crd.apiVersion === "apiextensions.k8s.io/v1" && crd.kind === "CustomResourceDefinition"));
        assert.ok(names.includes("constrainttemplates.templates.gatekeeper.sh"));
    });

    it("the Flux v2 kinds a team's custom quota awaits are exactly those the operator installs for the FluxInstance's components", () => {
        const operatorKinds = upstreamCrdsByProject().fluxOperator.map((c) => c.metadata.name as string)
            .filter((name) => name.startsWith("resourcesets.") || name.startsWith("resourcesetinputproviders."));
        assert.equal(operatorKinds.length, 2);
        for (const helmController of [false, true]) {
            for (const imageAutomation of [false, true]) {
                const installed = fluxCrdsOf(fluxComponents({ helmController, imageAutomation })).map((c) => c.metadata.name as string);
                assert.deepEqual([...installedFluxKinds({ helmController, imageAutomation })].sort(), [...installed, ...operatorKinds].sort(),
                    `helmController ${helmController}, imageAutomation ${imageAutomation}`);
            }
        }
    });

    it("serves every custom kind, at its version, that the example stack creates", async () => {
        const crds = upstreamCrds();
        const custom = (await recording()).resources.map((r) => groupVersionKind(r.type))
            .filter((gvk): gvk is NonNullable<typeof gvk> => gvk !== undefined && !builtIn(gvk.group) && gvk.group !== notAKind && gvk.group !== madeByGatekeeper);
        const kinds = new Set(custom.map((gvk) => gvk.kind));
        for (const kind of ["FluxInstance", "GitRepository", "Kustomization", "Alert", "Provider", "ConstraintTemplate"]) {
            assert.ok(kinds.has(kind), `the example stack creates no ${kind}: ${[...kinds].join(", ")}`);
        }
        for (const { group, version, kind } of custom) {
            const crd = crds.find((c) => c.spec.group === group && c.spec.names.kind === kind);
            assert.ok(crd, `no CRD for ${kind}.${group}`);
            assert.ok((crd.spec.versions as Json[]).some((v) => v.name === version && v.served === true), `${kind}.${group} does not serve ${version}`);
        }
    });

    it("counts in every team's quota, or refuses to every team, each namespaced kind an engine or add-on installs", () => {
        const counted = new Set([...everyEngineAdmission().flatMap((a) => a.teamKinds ?? []), ...everyAddonTraits().flatMap((t) => t.teamKinds)]);
        const refused = new Set([...everyEngineAdmission().flatMap((a) => a.platformKinds ?? []), ...everyAddonTraits().flatMap((t) => t.platformKinds ?? [])]);
        const namespaced = upstreamCrds().filter((crd) => crd.spec.scope === "Namespaced").map((crd) => crd.metadata.name as string);
        assert.ok(namespaced.length >= 30, `${namespaced.length}`);
        assert.deepEqual(namespaced.filter((kind) => !counted.has(kind) && !refused.has(kind)), [], "neither counted nor refused");
        assert.deepEqual([...refused].filter((kind) => counted.has(kind) || !namespaced.includes(kind)), [], "refused, yet counted or not a namespaced kind");
    });

    it("holds each add-on's traits to its chart: the kinds a team's quota counts, the pods that call teams, the webhook port", async () => {
        const byProject = upstreamCrdsByProject();
        const releases = (await recording()).ofType(releaseType).map((r) => r.inputs as ReleaseInputs);
        const rendered = releases.filter((r) => r.name !== "flux-operator").flatMap((r) => renderReleaseParts(r, kubeVersion).objects);
        const deployments = rendered.filter((o) => o.kind === "Deployment");
        const labelsOf = (d: Json) => d.spec.template.metadata.labels as Record<string, string>;
        const matches = (labels: Record<string, string>, selector: NonNullable<ReturnType<typeof everyAddonTraits>[number]["callers"]>) =>
            Object.entries(selector.matchLabels).every(([k, v]) => labels[k] === v) &&
            (selector.matchExpressions ?? []).every((e) => e.operator === "In" && e.values.includes(labels[e.key]));
        const traits = everyAddonTraits();
        assert.deepEqual(traits.map((t) => t.namespace).sort(), ["flagger-system", "gatekeeper-system"]);
        for (const addon of traits) {
            const project = addon.namespace === "flagger-system" ? "flagger" : "gatekeeper";
            // Each namespaced kind of the chart is either one a team may create (counted) or the add-on's own (refused), never both.
            const namespaced = byProject[project].filter((crd) => crd.spec.scope === "Namespaced").map((crd) => crd.metadata.name as string).sort();
            const own = addon.platformKinds ?? [];
            assert.deepEqual([...addon.teamKinds, ...own].sort(), namespaced, addon.namespace);
            assert.deepEqual(addon.teamKinds.filter((kind) => own.includes(kind)), [], addon.namespace);
            if (addon.callers) {
                const callers = deployments.filter((d) => d.metadata.namespace === addon.callers!.namespace || d.metadata.namespace === undefined)
                    .filter((d) => matches(labelsOf(d), addon.callers!)).map((d) => d.metadata.name as string).sort();
                assert.deepEqual(callers, ["flagger", "flagger-prometheus"], addon.namespace);
            }
            if (addon.apiServerCalls) {
                const { podLabels, port } = addon.apiServerCalls;
                const webhook = deployments.filter((d) => Object.entries(podLabels).every(([k, v]) => labelsOf(d)[k] === v));
                assert.deepEqual(webhook.map((d) => d.metadata.name), ["gatekeeper-controller-manager"]);
                const ports = (webhook[0].spec.template.spec.containers as Json[]).flatMap((c) => ((c.ports ?? []) as Json[]).map((p) => p.containerPort as number));
                assert.ok(ports.includes(port), `${ports.join(", ")}`);
            }
        }
    });

    it("renders the Flagger and Gatekeeper releases as recorded, without CRDs, and the RBAC fixtures match them", async () => {
        const releases = (await recording()).ofType(releaseType).map((r) => r.inputs as ReleaseInputs);
        const rendered = new Map<string, Json[]>();
        for (const release of releases.filter((r) => r.name !== "flux-operator")) {
            const { objects, hooks } = renderReleaseParts(release, kubeVersion);
            assert.ok(objects.length > 0, `${release.name} rendered nothing`);
            for (const o of [...objects, ...hooks]) {
                assert.ok(typeof o.apiVersion === "string" && typeof o.kind === "string" && typeof o.metadata?.name === "string", JSON.stringify(o));
                assert.notEqual(o.kind, "CustomResourceDefinition");
            }
            rendered.set(release.name, objects);
        }
        assert.deepEqual([...rendered.keys()].sort(), ["flagger", "gatekeeper"]);
        const flagger = rendered.get("flagger") ?? [];
        assert.ok(flagger.some((o) => o.kind === "Deployment" && o.metadata.name === "flagger-prometheus"), "Flagger's Prometheus is installed");
        for (const [name, fixture] of [["flagger", flaggerRbac], ["gatekeeper", gatekeeperRbac]] as const) {
            for (const expected of fixture) {
                const actual = rendered.get(name)?.find((o) => o.kind === expected.kind && o.metadata.name === expected.metadata.name);
                assert.ok(actual, `${name} renders no ${expected.kind} ${expected.metadata.name}`);
                assert.deepEqual(rest(actual), rest(expected));
            }
        }
    });

    it("lists in docs/operations.md what the example stack reaches outside the cluster (npm run docs:reach)", async () => {
        const now = renderReachBlock(await recording());
        assert.equal(blockOf(fs.readFileSync(reachDocPath, "utf8"), reachDocCommand), now, "docs/operations.md is stale: run npm run docs:reach");
        // Every image of the Flux v2 controllers by digest, as the operator pins them.
        assert.match(now, /`ghcr\.io\/fluxcd\/kustomize-controller:v[\d.]+@sha256:[0-9a-f]{64}`/);
        assert.deepEqual(["ghcr.io/fluxcd/flagger:1.44.0", "openpolicyagent/gatekeeper:v3.23.0", "memcached", "localhost:5000/x"].map(registryOf),
            ["ghcr.io", "docker.io", "docker.io", "localhost:5000"]);
    });

    it("names each chart's images as the pinned charts do, so a mirror serves the same ones", () => {
        const values = (module: "gatekeeper" | "flagger", dir: string) =>
            parseAllDocuments(fs.readFileSync(path.join(moduleDir(module), dir, "values.yaml"), "utf8"))[0].toJS() as Json;
        const gatekeeper = values("gatekeeper", "charts/gatekeeper");
        assert.deepEqual([gatekeeper.image.repository, gatekeeper.image.crdRepository, gatekeeper.postInstall.probeWebhook.image.repository,
            gatekeeper.postInstall.labelNamespace.image.repository, gatekeeper.postUpgrade.labelNamespace.image.repository,
            gatekeeper.preUninstall.deleteWebhookConfigurations.image.repository, gatekeeper.preInstall.crdRepository.image.repository],
        [gatekeeperChartImages.gatekeeper, gatekeeperChartImages.crds, gatekeeperChartImages.probe, gatekeeperChartImages.crds,
            gatekeeperChartImages.crds, gatekeeperChartImages.crds, null]);
        const flagger = values("flagger", "charts/flagger");
        assert.deepEqual([flagger.image.repository, flagger.prometheus.image], [flaggerChartImages.flagger, flaggerChartImages.prometheus]);
        const operator = fluxOperatorObjects().find((o) => o.kind === "Deployment")!;
        assert.equal(operator.spec.template.spec.containers[0].image, `${fluxOperatorChart.image}:v${fluxOperatorChart.version}`);
    });

    it("reaches nothing but the mirror and GitHub from a stack whose registries and charts are mirrored", async () => {
        const mirror = "registry.example.com";
        const stack = exampleStack();
        const run = await runProgram({
            ...stack,
            "platform:mirror": {
                registries: { "docker.io": `${mirror}/docker.io`, "ghcr.io": `${mirror}/ghcr.io` },
                charts: { gatekeeper: "https://charts.example.com/gatekeeper", flagger: "https://charts.example.com/flagger",
                    "flux-operator": `oci://${mirror}/ghcr.io/controlplaneio-fluxcd/charts/flux-operator` },
            },
            "platform:flux": { ...stack["platform:flux"] as Json, image: `${mirror}/docker.io/fluxcd/flux:1.25.4` },
            "platform:memcached": { ...stack["platform:memcached"] as Json, image: `${mirror}/docker.io/library/memcached:1.6.41-alpine` },
            "platform:flux2": { ...stack["platform:flux2"] as Json, registry: `${mirror}/ghcr.io/fluxcd`, variant: "upstream-alpine" },
        }, ["platform:teamSlackWebhooks"]);
        assert.ifError(run.error);
        const rows = reached(run.recording);
        assert.deepEqual([...new Set(rows.map((r) => r.to))].sort(), [
            "api.github.com (or `github:baseUrl`)", "github.com:22", "https://charts.example.com/flagger", "https://charts.example.com/gatekeeper", mirror,
        ]);
        const images = rows.filter((r) => r.to === mirror && r.from.startsWith("the cluster's nodes")).flatMap((r) => [...r.what]);
        for (const upstream of reached(await recording()).filter((r) => r.from.startsWith("the cluster's nodes")).flatMap((r) => [...r.what])) {
            const image = upstream.slice(1, -1);
            const host = registryOf(image);
            const rest = image.startsWith(`${host}/`) ? image.slice(host.length + 1) : image;
            const expected = `\`${mirror}/${host}/${host === "docker.io" && !rest.includes("/") ? `library/${rest}` : rest}\``;
            assert.ok(images.includes(expected), `${upstream} is not pulled from the mirror as ${expected}: ${images.join(", ")}`);
        }
    });

    it("refuses a chart it does not pin, and the flux-operator chart, which no Go module holds", async () => {
        const flagger = (await recording()).ofType(releaseType).find((r) => r.inputs.name === "flagger")?.inputs as ReleaseInputs;
        assert.throws(() => renderRelease({ ...flagger, version: "1.43.0" }, kubeVersion), /not a pinned chart/);
        assert.throws(() => renderRelease({ ...flagger, chart: "flagger-fork" }, kubeVersion), /not a pinned chart/);
        const operator = (await recording()).ofType(releaseType).find((r) => r.inputs.name === "flux-operator")?.inputs as ReleaseInputs;
        assert.throws(() => renderRelease(operator, kubeVersion), /not in the github\.com\/controlplaneio-fluxcd\/flux-operator module/);
        const deployment = fluxOperatorObjects().find((o) => o.kind === "Deployment");
        assert.equal(deployment?.metadata.name, fluxOperatorAccount);
        assert.equal(deployment?.spec.template.spec.serviceAccountName, fluxOperatorAccount);
    });

    it("installs the recorded FluxInstance's controllers, and the controllers' RBAC fixture is the plain manifests once the operator's kustomize steps are applied", async () => {
        const instance = (await recording()).resources.find((r) => r.type.endsWith(":FluxInstance"));
        const components = instance?.inputs.spec.components as string[];
        const objects = fluxInstallObjects(instance?.inputs.spec.distribution.version, { components });
        assert.deepEqual(objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name).sort(), [...components].sort());
        assert.ok(objects.every((o) => o.kind !== "CustomResourceDefinition"));
        // internal/builder/templates.go: the roles get the suffix -<namespace>; workload_identity.go
        // would drop serviceaccounts/token only if the instance turned object-level identity off.
        assert.equal(instance?.inputs.spec.cluster.objectLevelWorkloadIdentity, true);
        const suffixed = (name: string) => `${name}-flux-system`;
        for (const expected of fluxControllersRbac) {
            const plain = objects.find((o) => o.kind === expected.kind && suffixed(o.metadata.name) === expected.metadata.name);
            assert.ok(plain, `no plain ${expected.kind} for ${expected.metadata.name}`);
            const built = {
                ...plain,
                metadata: { name: suffixed(plain.metadata.name) },
                ...(plain.roleRef?.name === "crd-controller" ? { roleRef: { ...plain.roleRef, name: suffixed(plain.roleRef.name) } } : {}),
            };
            assert.deepEqual(rest(built), rest(expected));
        }
    });

    it("has the pods and NetworkPolicies the reachability table reads (test/kit/fixtures/network.ts) as the charts and the operator's manifests hold them", async () => {
        const portsOf = (deployment: Json) => (deployment.spec.template.spec.containers as Json[])
            .flatMap((c) => ((c.ports ?? []) as Json[]).map((p) => `${p.containerPort}/${p.name ?? ""}`)).sort();
        const releases = (await recording()).ofType(releaseType).map((r) => r.inputs as ReleaseInputs);
        const rendered = releases.filter((r) => r.name !== "flux-operator").flatMap((r) => renderReleaseParts(r, kubeVersion).objects);
        for (const pod of [...flaggerPods, ...gatekeeperPods]) {
            const deployment = rendered.find((o) => o.kind === "Deployment" && o.metadata.name === pod.name);
            assert.ok(deployment, `no Deployment ${pod.name}`);
            assert.deepEqual(portsOf(deployment), pod.ports.map((p) => `${p.port}/${p.name ?? ""}`).sort(), pod.name);
            for (const [k, v] of Object.entries(pod.labels)) {
                assert.equal(deployment.spec.template.metadata.labels[k], v, `${pod.name} ${k}`);
            }
        }
        const instance = (await recording()).resources.find((r) => r.type.endsWith(":FluxInstance"))?.inputs;
        const flux = fluxInstallObjects(instance?.spec.distribution.version, { components: instance?.spec.components });
        for (const controller of instance?.spec.components as string[]) {
            const deployment = flux.find((o) => o.kind === "Deployment" && o.metadata.name === controller);
            const pod = fluxControllerPod(controller);
            assert.deepEqual(portsOf(deployment!), pod.ports.map((p) => `${p.port}/${p.name ?? ""}`).sort(), controller);
            assert.equal(deployment!.spec.template.metadata.labels.app, controller);
        }
        const policies = flux.filter((o) => o.kind === "NetworkPolicy");
        assert.deepEqual(policies.map((o) => ({ metadata: { name: o.metadata.name, namespace: o.metadata.namespace }, spec: o.spec })), fluxOperatorPolicies);
        const operator = fluxOperatorObjects().find((o) => o.kind === "Deployment");
        assert.deepEqual(portsOf(operator!), fluxOperatorPod(true).ports.map((p) => `${p.port}/${p.name ?? ""}`).sort());
    });

    it("runs a shard's controllers as the reachability table has them: <controller>-<shard>, labelled app: <controller>-<shard>, its own policies dropped", () => {
        // The operator's shard kustomization (internal/builder/templates.go, kustomizationShardTmpl)
        // at the pinned version: read as text, the template the operator renders for each shard.
        const source = fs.readFileSync(path.join(moduleDir("fluxOperator"), "internal", "builder", "templates.go"), "utf8");
        const shardTemplate = source.slice(source.indexOf("var kustomizationShardTmpl"));
        assert.match(shardTemplate, /nameSuffix: "-\{\{\.ShardName\}\}"/);
        assert.match(shardTemplate, /kind: \([^)]*NetworkPolicy[^)]*\)\n\s+patch: \|\n[^]*?\$patch: delete/);
        for (const controller of shardedControllers) {
            const patch = new RegExp(`name: \\(${controller}\\)[^]*?path: /spec/template/metadata/labels/app\\n\\s+value: ${controller}-\\{\\{\\.ShardName\\}\\}`);
            assert.match(shardTemplate, patch, controller);
            const pod = fluxShardPod(controller, "team3");
            assert.deepEqual([pod.name, pod.labels.app], [`${controller}-team3`, `${controller}-team3`]);
        }
    });
});
