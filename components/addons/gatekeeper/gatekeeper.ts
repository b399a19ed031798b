import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { celSource, checkedWorkloads, containerResourcesKind, regoSource } from "./containerResourcesRules";
import { gatekeeperNamespace, platformLabels } from "../../shared/names";
import { podSecurityLabels } from "../../shared/podSecurityLevel";
import { gatekeeperChart } from "../../shared/versions";

/**
 * Gatekeeper's pods, set here rather than left to the chart so the platform's footprint is known:
 * three webhook replicas (the chart's default, so a node loss does not stop admission) and the audit.
 */
export const gatekeeperSizing = {
    replicas: 3,
    controllerManager: { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
    audit: { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
} as const;

/**
 * Gatekeeper from its Helm chart, in its own namespace, and the ConstraintTemplates the platform
 * defines. Constraints are not here: each team owns its own, so adding a team adds one and
 * changes nothing else.
 */
export class Gatekeeper extends pulumi.ComponentResource {
    /**
     * The ContainerResources template, for the constraints teams get: the kind it defines, the
     * template itself (a constraint of its kind must wait for it) and the workloads it judges.
     */
    public readonly containerResources: {
        readonly kind: string;
        readonly template: k8s.apiextensions.CustomResource;
        readonly workloads: typeof checkedWorkloads;
    };

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Gatekeeper", name, {}, opts);
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

        const release = new k8s.helm.v3.Release(`${name}-release`, {
            name: "gatekeeper",
            chart: gatekeeperChart.chart,
            version: gatekeeperChart.version,
            repositoryOpts: { repo: gatekeeperChart.repo },
            namespace: namespace.metadata.name,
            createNamespace: false,
            values: {
                // Explicit, because the template's CEL is what Gatekeeper should run; Rego stays the fallback.
                enableK8sNativeValidation: true,
                // The namespace and its labels are ours (above); the chart's labelling Job would only repeat them.
                postInstall: { labelNamespace: { enabled: false } },
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
                },
            },
            spec: {
                crd: { spec: { names: { kind: containerResourcesKind } } },
                targets: [{
                    target: "admission.k8s.gatekeeper.sh",
                    code: [
                        { engine: "K8sNativeValidation", source: celSource },
                        { engine: "Rego", source: { rego: regoSource } },
                    ],
                }],
            },
        }, { parent: this, dependsOn: [release] });
        this.containerResources = { kind: containerResourcesKind, template, workloads: checkedWorkloads };

        this.registerOutputs({});
    }
}
