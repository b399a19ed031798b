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

/**
 * The chart's image values the mirror changes, every image it may run (its hooks' included), as
 * the top level and `postInstall` of the values; none for an image whose registry is not mirrored,
 * so a stack without a mirror keeps its values.
 */
function mirroredImageValues(mirror: MirrorSettings): { top: Record<string, object>; postInstall: Record<string, object> } {
    const moved = (image: string) => mirroredImage(image, mirror) !== image;
    const repository = (image: string) => moved(image) ? { image: { repository: mirroredImage(image, mirror) } } : undefined;
    const { gatekeeper, crds, probe } = gatekeeperChartImages;
    const entries = <T>(pairs: [string, T | undefined][]) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)) as Record<string, T>;
    return {
        top: entries<object>([
            ["image", moved(gatekeeper) || moved(crds)
                ? { repository: mirroredImage(gatekeeper, mirror), crdRepository: mirroredImage(crds, mirror) } : undefined],
            ["postUpgrade", moved(crds) ? { labelNamespace: repository(crds) } : undefined],
            ["preUninstall", moved(crds) ? { deleteWebhookConfigurations: repository(crds) } : undefined],
        ]),
        postInstall: entries<object>([["labelNamespace", repository(crds)], ["probeWebhook", repository(probe)]]),
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

// The template waits until Gatekeeper has made its constraint's CRD, rather than racing the
// provider's few retries of an unknown kind (docs/upstream.md, "A constraint whose kind does not exist yet").
const waitForAnnotation = "pulumi.com/waitFor";
const templateCreatedCondition = "jsonpath={.status.created}=true";

/**
 * Gatekeeper from its Helm chart, in its own namespace, and the ConstraintTemplates the platform
 * defines. Constraints are not here: each team owns its own, so adding a team adds one and
 * changes nothing else.
 */
export class Gatekeeper extends pulumi.ComponentResource {
    /**
     * The Helm release, ready once the namespace webhook answers: every other Namespace of the
     * platform waits for it, since that webhook fails closed (docs/upstream.md, "The namespace
     * webhook fails closed").
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
        const images = mirroredImageValues(mirror);
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
                // The CEL driver, the template's only engine; the API server enforces the same CEL
                // as ValidatingAdmissionPolicies (docs/upstream.md, "CEL, and the API server enforcing it").
                enableK8sNativeValidation: true,
                // The namespace and its labels are ours (above); the chart's labelling Job would only repeat them.
                postInstall: { ...images.postInstall, labelNamespace: { enabled: false, ...images.postInstall.labelNamespace } },
                ...images.top,
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
