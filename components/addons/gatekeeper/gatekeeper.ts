import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gatekeeperNamespace, platformLabels } from "../../shared/names";
import { podSecurityLabels } from "../../shared/podSecurityLevel";
import { chartSource, MirrorSettings, mirroredImage, noMirror } from "../../shared/mirror";
import { gatekeeperChart, gatekeeperChartImages } from "../../shared/versions";
import { celSource, checkedWorkloads, containerResourcesKind } from "./containerResourcesRules";

export interface GatekeeperArgs {
    /** Where the chart and its images come from instead of upstream. */
    readonly mirror?: MirrorSettings;
}

type ImageValue = (repository: string) => Record<string, unknown>;

function probeImage(image: ImageValue): Record<string, unknown> {
    const probe = image(gatekeeperChartImages.probe);
    return "image" in probe ? { probeWebhook: probe } : {};
}

/** The chart's image values but the post-install ones (set with the rest of postInstall), when mirrored. */
function mirrorImages(image: ImageValue): Record<string, unknown> {
    const main = image(gatekeeperChartImages.gatekeeper);
    if (!("image" in main)) return {};
    const crds = image(gatekeeperChartImages.crds) as { image: { repository: string } };
    return {
        image: { repository: (main as { image: { repository: string } }).image.repository, crdRepository: crds.image.repository },
        postUpgrade: { labelNamespace: crds },
        preUninstall: { deleteWebhookConfigurations: crds },
    };
}

/**
 * Gatekeeper's pods, set here rather than left to the chart so the platform's footprint is known:
 * three webhook replicas (the chart's default, so a node loss does not stop admission) and the audit.
 */
export const gatekeeperSizing = {
    replicas: 3,
    controllerManager: { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
    audit: { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
} as const;

// How the Kubernetes provider handles a constraint whose kind Gatekeeper has not made yet. Read in
// pulumi-kubernetes at master 94977969 (July 2026, the newest stored snapshot: after v4.32.0, before
// the v4.34.2 we use, whose tag it does not have), provider/pkg/provider/provider.go:
// - preview: Check validates against the cluster's OpenAPI only when the kind is served, and with
//   an unknown kind records no failure unless the provider sets rejectUnknownResources; Create in
//   preview returns the inputs unchanged when the kind has no REST mapping (`skipPreview` is true
//   when `!k.gvkExists(newInputs)`, `gvkExists` answering false on a NoMatch). So `pulumi preview`
//   on a fresh cluster shows the template and every constraint as creates and fails on none. The
//   "failed to determine if the following GVK is namespaced" of pulumi-kubernetes #3176 comes from
//   the yaml/v2 and Chart v4 components (provider/pkg/provider/yaml/v2/yaml.go `Normalize`, via
//   clients.IsNamespacedKind), and #3247 is a Chart whose objects need another chart's CRDs: this
//   program uses neither, only Helm Releases and plain CustomResources.
// - update: Create retries a NoMatch with a fresh discovery only five times, 1+2+4+8+16 s apart
//   (provider/pkg/await/await.go `Creation`, `retrier.Do(apierrors.IsNotFound, meta.IsNoMatchError)`;
//   provider/pkg/clients/clients.go `ResourceClient` resets the REST mapper), about half a minute
//   for Gatekeeper to compile the template and create the constraint's CRD. Rather than race that,
//   the template itself is not created until Gatekeeper says the CRD is there: the provider awaits a
//   `pulumi.com/waitFor` JSONPath on any kind (provider/pkg/metadata/overrides.go `ReadyCondition`,
//   within the default 10 minutes of await.go), and Gatekeeper sets the template's `status.created`
//   once a pod has reconciled it without error (pkg/controller/constrainttemplatestatus/
//   constrainttemplatestatus_controller.go), which each pod reports only after creating or
//   updating the CRD (pkg/controller/constrainttemplate/constrainttemplate_controller.go
//   `handleUpdate`: `generateCRD`, then the pod status without errors). Constraints depend on the
//   template, so they are created once their kind is served.
const waitForAnnotation = "pulumi.com/waitFor";
const templateCreatedCondition = "jsonpath={.status.created}=true";

/**
 * Gatekeeper from its Helm chart, in its own namespace, and the ConstraintTemplates the platform
 * defines. Constraints are not here: each team owns its own, so adding a team adds one and
 * changes nothing else.
 */
export class Gatekeeper extends pulumi.ComponentResource {
    /**
     * The Helm release. Every other Namespace of the platform waits for it: the chart's
     * `check-ignore-label.gatekeeper.sh` webhook judges every Namespace CREATE and UPDATE outside
     * gatekeeper-system and fails closed (`failurePolicy: {{ .Values.validatingWebhookCheckIgnoreFailurePolicy }}`,
     * `Fail` in values.yaml; gatekeeper v3.23.0 charts/gatekeeper/templates/
     * gatekeeper-validating-webhook-configuration-validatingwebhookconfiguration.yaml), so a Namespace
     * written between the webhook's registration and its first answer is refused. The release is
     * ready only after that first answer: the provider has Helm wait (`client.Wait = !SkipAwait`,
     * skipAwait unset; pulumi-kubernetes provider/pkg/provider/helm_release.go, install path), so
     * the webhook's pods are ready; and on install Helm then runs the chart's post-install Job that
     * curls the webhook's `/v1/admitlabel` until it answers, and waits for that Job to complete (Helm
     * pkg/action/hooks.go, execHook → WatchUntilReady). The Job is rendered because
     * `postInstall.labelNamespace.enabled` is false below and `postInstall.probeWebhook.enabled`
     * defaults to true (charts/gatekeeper/templates/probe-webhook-post-install.yaml, values.yaml).
     */
    public readonly release: k8s.helm.v3.Release;
    /** gatekeeper-system, once its Namespace exists. */
    public readonly namespace: pulumi.Output<string>;
    /**
     * The ContainerResources template, for the constraints teams get: the kind it defines, the
     * template itself (a constraint of its kind must wait for it) and the workloads it judges.
     */
    public readonly containerResources: {
        readonly kind: string;
        readonly template: k8s.apiextensions.CustomResource;
        readonly workloads: typeof checkedWorkloads;
    };

    constructor(name: string, args: GatekeeperArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Gatekeeper", name, {}, opts);
        const mirror = args.mirror ?? noMirror;
        const image = (repository: string) => mirroredImage(repository, mirror) === repository
            ? {} : { image: { repository: mirroredImage(repository, mirror) } };
        const parent = { parent: this };
        const labels = platformLabels("gatekeeper");

        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: gatekeeperNamespace,
                labels: {
                    ...labels,
                    // Gatekeeper must not judge its own pods: a broken policy could otherwise keep it
                    // from starting. It honours the label only on namespaces it exempts itself.
                    "admission.gatekeeper.sh/ignore": "no-self-managing",
                    // Gatekeeper's pods run as non-root with no capabilities; the chart asks for restricted.
                    ...podSecurityLabels("restricted"),
                },
            },
        }, parent);
        this.namespace = namespace.metadata.name;

        this.release = new k8s.helm.v3.Release(`${name}-release`, {
            name: "gatekeeper",
            ...chartSource(gatekeeperChart.chart, { chart: gatekeeperChart.chart, repositoryOpts: { repo: gatekeeperChart.repo } }, mirror),
            version: gatekeeperChart.version,
            namespace: namespace.metadata.name,
            createNamespace: false,
            values: {
                // Explicit (it is the chart's default), because the template carries CEL only: with the
                // CEL driver off, Gatekeeper would have no engine for it (see containerResourcesRules.ts).
                // The chart's defaultCreateVAPForTemplates and defaultCreateVAPBindingForConstraints
                // (both true; the flags --default-create-vap-for-templates and
                // --default-create-vap-binding-for-constraints, pkg/controller/constraint/constraint_controller.go)
                // also turn the template into a ValidatingAdmissionPolicy and each constraint into its
                // binding, so the API server enforces the CEL itself, even while the webhook is down.
                enableK8sNativeValidation: true,
                // The namespace and its labels are ours (above); the chart's labelling Job would only repeat them.
                postInstall: { labelNamespace: { enabled: false, ...image(gatekeeperChartImages.crds) }, ...probeImage(image) },
                // A mirror's: every image the chart may run, its hooks' included.
                ...mirrorImages(image),
                ...gatekeeperSizing,
            },
        }, parent);

        const template = new k8s.apiextensions.CustomResource(`${name}-container-resources`, {
            apiVersion: "templates.gatekeeper.sh/v1",
            kind: "ConstraintTemplate",
            metadata: {
                name: containerResourcesKind.toLowerCase(),
                labels,
                annotations: {
                    description: "Rejects a Deployment, StatefulSet or DaemonSet whose containers or init containers " +
                        "lack cpu requests, memory requests or memory limits.",
                    [waitForAnnotation]: templateCreatedCondition,
                },
            },
            spec: {
                crd: { spec: { names: { kind: containerResourcesKind } } },
                targets: [{
                    target: "admission.k8s.gatekeeper.sh",
                    code: [{ engine: "K8sNativeValidation", source: celSource }],
                }],
            },
        }, { parent: this, dependsOn: [this.release] });
        this.containerResources = { kind: containerResourcesKind, template, workloads: checkedWorkloads };

        this.registerOutputs({});
    }
}
