import * as k8s from "@pulumi/kubernetes";
import { chartSource, MirrorSettings, mirroredImage, noMirror } from "../../shared/mirror";
import * as pulumi from "@pulumi/pulumi";
import { platformLabels } from "../../shared/names";
import { fluxOperatorChart } from "../../shared/versions";
import { fluxInstanceApiVersion, fluxInstanceName, fluxInstanceSpec, teamServiceAccountName } from "./fluxInstance";
import { FluxV2Install } from "./settings";

export interface FluxV2ClusterArgs {
    /** The platform's system namespace (flux-system): the operator, the controllers and the FluxInstance go there. */
    readonly namespace: pulumi.Input<string>;
    readonly settings: FluxV2Install;
    /** Where the operator's chart and image come from instead of upstream. */
    readonly mirror?: MirrorSettings;
}

/**
 * Fixed, not auto-named: the chart names the operator's Deployment, ServiceAccount and Service
 * after the release, and none of Flux v1's objects in the same namespace is called this.
 */
const releaseName = "flux-operator";

/**
 * The ClusterRole every team's sync account is bound to, by a RoleBinding in the team's namespace
 * only: every verb on every resource there, as Flux v1's teams have. It covers
 * `image.toolkit.fluxcd.io` (a team's own ImageRepository, ImagePolicy and ImageUpdateAutomation)
 * and `fluxcd.controlplane.io` ResourceSets, which the operator applies as the same account
 * (chart value `multitenancy`, below). Named apart from Flux v1's `gitops-platform:flux-tenant`, so both engines can run.
 */
export const fluxV2TeamRoleName = "gitops-platform:flux2-tenant";

/**
 * Flux v2 installed once: the Flux Operator from its Helm chart, the FluxInstance that has it
 * install and run Flux, and the ClusterRole the teams' syncs are bound to.
 */
export class FluxV2Cluster extends pulumi.ComponentResource {
    /** The FluxInstance: Flux's CRDs exist once it is ready, so every Flux object waits for it. */
    public readonly instance: k8s.apiextensions.CustomResource;
    public readonly teamRole: pulumi.Output<string>;

    constructor(name: string, args: FluxV2ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:FluxV2Cluster", name, {}, opts);
        const parent = { parent: this };
        const labels = platformLabels("flux2");
        const mirror = args.mirror ?? noMirror;
        const operatorImage = mirroredImage(fluxOperatorChart.image, mirror);

        const release = new k8s.helm.v3.Release(`${name}-operator`, {
            name: releaseName,
            namespace: args.namespace,
            ...chartSource("flux-operator", { chart: fluxOperatorChart.chart }, mirror),
            version: args.settings.operatorChartVersion,
            // Chart values: docs/upstream.md, "The operator's chart and network policies".
            values: {
                resources: {
                    requests: { ...args.settings.operatorResources.requests },
                    limits: { ...args.settings.operatorResources.limits },
                },
                // A ResourceSet that names no account impersonates this one of its own namespace,
                // not the operator's cluster-admin, which would let a team's ResourceSet create
                // anything anywhere (docs/upstream.md, "Status, references and templates the
                // operator and controllers act on").
                multitenancy: { enabled: true, defaultServiceAccount: teamServiceAccountName },
                // The web UI, reachable from every namespace and without authentication answering as
                // the operator's cluster-admin, is off (no server, no NetworkPolicy) unless a Web
                // Config API Secret gives it authentication (docs/upstream.md, "The operator's chart
                // and network policies").
                web: args.settings.webUi
                    ? { enabled: true, configSecretName: args.settings.webUi.configSecretName }
                    : { enabled: false },
                ...(operatorImage !== fluxOperatorChart.image ? { image: { repository: operatorImage } } : {}),
            },
        }, parent);

        this.instance = new k8s.apiextensions.CustomResource(`${name}-instance`, {
            apiVersion: fluxInstanceApiVersion,
            kind: "FluxInstance",
            metadata: {
                name: fluxInstanceName,
                namespace: args.namespace,
                labels,
                annotations: {
                    // Flux's CRDs exist before the syncs' objects are created (docs/upstream.md,
                    // "The FluxInstance", Ready).
                    "pulumi.com/waitFor": "condition=Ready",
                },
            },
            spec: fluxInstanceSpec(args.settings),
        }, { parent: this, dependsOn: [release] });

        this.teamRole = new k8s.rbac.v1.ClusterRole(`${name}-tenant-role`, {
            metadata: { name: fluxV2TeamRoleName, labels },
            rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
        }, parent).metadata.name;

        this.registerOutputs({ teamRole: this.teamRole });
    }
}
