// What each recorded resource puts in the cluster on `pulumi up`: its own object; a Helm release's
// rendered chart; and what the cluster's controllers make of it, where no controller runs here:
// Flux from a FluxInstance (the Flux Operator's reconcile), a constraint kind from a
// ConstraintTemplate (Gatekeeper's).
import { Created } from "../kit/harness";
import { fluxControllersRbac } from "../kit/fixtures/flux2";
import { patchedPolicies } from "../kit/fixtures/network";
import { Expand, Expansion } from "./applyStack";
import { fluxCrdsOf, fluxInstallObjects, fluxOperatorObjects, isFluxOperatorChart, ReleaseInputs, renderReleaseParts, upstreamCrdsByProject } from "./upstream";

type Json = Record<string, any>;

/**
 * Kinds a chart renders that are left out, each for a reason: with no node, no pod answers a
 * webhook, so a webhook configuration with failurePolicy Fail (Gatekeeper's namespace-label check)
 * would refuse every Namespace; an APIService with no pod behind it breaks discovery.
 */
const notApplied = new Set(["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService"]);

/** Hooks helm install runs (pre- and post-install); the others (delete, upgrade, test) it does not. */
const installHook = (o: Json) => (o.metadata.annotations["helm.sh/hook"] as string).split(",").some((h) => /^(pre|post)-install$/.test(h.trim()));

/**
 * The constraint kind Gatekeeper makes from a ConstraintTemplate (group constraints.gatekeeper.sh,
 * cluster-scoped, served at v1beta1 and v1alpha1 and v1; gatekeeper pkg/target and
 * pkg/controller/constrainttemplate). A stand-in: its schema keeps the template's parameters and
 * leaves the rest of spec (match, enforcementAction) open, as Gatekeeper's own does not.
 */
export function constraintCrd(template: Json): Json {
    const kind: string = template.spec.crd.spec.names.kind;
    const plural = kind.toLowerCase();
    const parameters = template.spec.crd.spec.validation?.openAPIV3Schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    const schema = {
        openAPIV3Schema: {
            type: "object",
            properties: {
                spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { parameters } },
                status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
        },
    };
    return {
        apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
        metadata: { name: `${plural}.constraints.gatekeeper.sh`, labels: { "gatekeeper.sh/constraint": "yes" } },
        spec: {
            group: "constraints.gatekeeper.sh", scope: "Cluster",
            names: { kind, plural, listKind: `${kind}List`, singular: plural, categories: ["constraint", "constraints"] },
            versions: ["v1beta1", "v1alpha1", "v1"].map((name) => ({
                name, served: true, storage: name === "v1beta1", schema, subresources: { status: {} },
            })),
        },
    };
}

/**
 * What the operator writes once it has applied a FluxInstance's objects: a Ready condition of the
 * generation it reconciled (flux-operator v0.58.1 `docs/api/v1/fluxinstance.md`, `api/v1/fluxinstance_types.go`).
 */
const fluxInstanceReady = (live: Json): Json => ({
    conditions: [{
        type: "Ready", status: "True", reason: "ReconciliationSucceeded", message: "Reconciliation finished",
        observedGeneration: live.metadata.generation, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    }],
});

const crdsFirst = (objects: readonly Json[]) =>
    [...objects.filter((o) => o.kind === "CustomResourceDefinition"), ...objects.filter((o) => o.kind !== "CustomResourceDefinition")];

/**
 * The expansion for one Kubernetes version. The operator's chart is not a Go module (see
 * upstream.ts), so its release stands for the operator's own kustomize install, whose objects it
 * renders the same; the controllers it installs come from its embedded manifests with the RBAC the
 * operator names per instance (test/kit/fixtures/flux2.ts, from its builder).
 */
export function expandFor(kubeVersion: string): Expand {
    const crds = upstreamCrdsByProject();
    return (created: Created, object: Json | undefined): Expansion => {
        if (created.type === "kubernetes:helm.sh/v3:Release") {
            const release = created.inputs as ReleaseInputs;
            if (isFluxOperatorChart(release)) {
                return { objects: crdsFirst([...crds.fluxOperator, ...fluxOperatorObjects(release.namespace)]) };
            }
            const rendered = renderReleaseParts(release, kubeVersion);
            const project = release.chart === "flagger" || release.chart.endsWith("/flagger") ? "flagger" : "gatekeeper";
            return {
                objects: crdsFirst([...crds[project], ...rendered.hooks.filter(installHook), ...rendered.objects])
                    .filter((o) => !notApplied.has(o.kind))
                    .map((o) => o.metadata.namespace || o.kind === "CustomResourceDefinition" ? o : { ...o, metadata: { ...o.metadata, namespace: release.namespace } }),
            };
        }
        if (object === undefined) {
            return { objects: [] };
        }
        if (object.kind === "FluxInstance") {
            const components: string[] = object.spec.components;
            const made = fluxInstallObjects(undefined, { namespace: object.metadata.namespace, components, networkPolicy: object.spec.cluster?.networkPolicy ?? true })
                .filter((o) => o.kind !== "ClusterRole" && o.kind !== "ClusterRoleBinding")
                // The instance's patches narrow the operator's NetworkPolicies: applied so the server takes them as patched.
                .map((o) => o.kind === "NetworkPolicy"
                    ? { ...o, spec: patchedPolicies([{ metadata: o.metadata, spec: o.spec }], object.spec.kustomize?.patches ?? [])[0].spec }
                    : o);
            return { objects: [object], made: crdsFirst([...fluxCrdsOf(components), ...made, ...fluxControllersRbac]), status: fluxInstanceReady };
        }
        if (object.kind === "ConstraintTemplate") {
            return { objects: [object], made: [constraintCrd(object)], status: () => ({ created: true }) };
        }
        return { objects: [object] };
    };
}
