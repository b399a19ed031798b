import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { RepoSyncArgs } from "../../shared/engine";
import { platformLabels } from "../../shared/names";
import { fluxV1Names } from "./names";
import { FluxV1Settings } from "./settings";
import { FluxV1TeamRoleNames } from "./teamRoles";

interface FluxV1Common extends RepoSyncArgs<FluxV1Settings> {
    /** `host.namespace` of the memcached every Flux v1 instance shares. */
    readonly memcachedHost: pulumi.Input<string>;
}

export type FluxV1Args =
    | (FluxV1Common & { readonly scope: "cluster" })
    | (FluxV1Common & { readonly scope: "namespace"; readonly teamRoles: FluxV1TeamRoleNames });

/** fluxd's `--k8s-secret-name`: its git key, and under --git-readonly its sync state too. */
export const gitSecretName = fluxV1Names.gitSecret;
/** The ServiceAccount fluxd runs as, in the instance's namespace. */
export const fluxServiceAccountName = fluxV1Names.serviceAccount;
/** Its ReplicaSets are flux-<pod-template-hash>, which the TeamGuard's pod exemption relies on. */
export const fluxDeploymentName = fluxV1Names.deployment;
/** On the pod template: the fingerprint of the git key the pod was started with. */
export const gitKeyAnnotation = fluxV1Names.gitKeyAnnotation;
const httpPort = 3030;
const metricsPort = 3031;
const keygenDir = "/var/fluxd/keygen";

/**
 * What a team's fluxd asks for: the seed's requests, and a memory limit so that it passes its
 * own namespace's ContainerResources policy and counts against the team's quota like any pod.
 */
export const fluxV1Resources = {
    requests: { cpu: "50m", memory: "64Mi" },
    limits: { memory: "512Mi" },
} as const;

/**
 * fluxd runs as root but needs none of root's capabilities (no NET_BIND_SERVICE, DAC_OVERRIDE,
 * CHOWN or FOWNER), so all are dropped and nothing it runs, a `.flux.yaml` generator included,
 * gains privileges through a setuid binary. Its root filesystem stays writable (docs/upstream.md,
 * "Running as root").
 */
export const fluxV1SecurityContext: k8s.types.input.core.v1.SecurityContext = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
};

// The system Flux caches metadata of every image in the cluster, not of one namespace's.
const clusterFluxMemoryLimit = "1Gi";

/**
 * Whether fluxd pushes to its repo (its sync tag, image updates, `fluxctl release`) and so needs
 * a write-enabled deploy key: unless --git-readonly is among its extra args.
 */
export function fluxV1Writes(settings: FluxV1Settings): boolean {
    let readOnly = false;
    for (const arg of settings.args) {
        const [flag, value] = arg.split("=", 2);
        if (flag === "--git-readonly") {
            readOnly = value === undefined || ["true", "1", "t"].includes(value.toLowerCase());
        }
    }
    return !readOnly;
}

/** The flags the platform sets on fluxd; users' extra args come after and cannot repeat these. */
export function fluxV1Args(args: FluxV1Args): pulumi.Output<string[]> {
    return pulumi.all([args.namespace, args.memcachedHost]).apply(([namespace, memcachedHost]) => [
        "--manifest-generation=true",
        `--memcached-hostname=${memcachedHost}`,
        // Empty: use the hostname as given, not a DNS SRV lookup.
        "--memcached-service=",
        `--git-url=${args.git.url}`,
        `--git-branch=${args.git.branch}`,
        ...(args.git.path === "" ? [] : [`--git-path=${args.git.path}`]),
        `--git-poll-interval=${args.settings.gitPollInterval}`,
        `--sync-interval=${args.settings.syncInterval}`,
        `--k8s-secret-name=${gitSecretName}`,
        `--ssh-keygen-dir=${keygenDir}`,
        `--listen-metrics=:${metricsPort}`,
        ...(args.scope === "namespace" ? [`--k8s-allow-namespace=${namespace}`] : []),
        ...args.settings.args,
    ]);
}

/**
 * One Flux v1 daemon syncing one repo: its service account and RBAC, its git key, its
 * known_hosts and kubeconfig, and its Deployment. Everything Flux v1 specific lives here.
 */
export class FluxV1 extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: FluxV1Args, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:FluxV1", name, {}, opts);
        const parent = { parent: this };
        const labels = platformLabels("flux", args.labels);
        const namespace = pulumi.output(args.namespace);
        this.namespace = namespace;
        const meta = (objectName: pulumi.Input<string>) => ({ name: objectName, namespace, labels });

        const account = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta(fluxServiceAccountName) }, parent);
        this.grantRights(name, args, account, labels);

        const gitKey = new k8s.core.v1.Secret(`${name}-git-key`, {
            metadata: meta(gitSecretName),
            type: "Opaque",
            stringData: pulumi.secret(pulumi.output(args.git.privateKey).apply((identity) => ({ identity }))),
        }, parent);

        const files = new k8s.core.v1.ConfigMap(`${name}-config`, {
            metadata: meta(fluxV1Names.config),
            data: {
                "known_hosts": args.git.knownHosts,
                "kubeconfig.yaml": namespace.apply(kubeconfig),
            },
        }, parent);

        new k8s.apps.v1.Deployment(`${name}-deployment`, {
            metadata: meta(fluxDeploymentName),
            spec: {
                // Suspended: no fluxd runs, so nothing is applied or garbage-collected, and the
                // Deployment, its key and its rights stay for a resume (docs/upstream.md,
                // "Suspending a team's fluxd").
                replicas: args.suspended ? 0 : 1,
                // Two daemons on one repo would fight over the sync tag.
                strategy: { type: "Recreate" },
                selector: { matchLabels: { "app.kubernetes.io/name": "flux", "app.kubernetes.io/instance": namespace } },
                template: {
                    metadata: {
                        labels: { ...labels, "app.kubernetes.io/instance": namespace },
                        annotations: {
                            "prometheus.io/scrape": "true",
                            "prometheus.io/port": `${metricsPort}`,
                            // fluxd derives its identity from the key when it starts, and the kubelet
                            // refreshes a mounted Secret only after a delay: a new key restarts the pod.
                            [gitKeyAnnotation]: args.git.keyFingerprint,
                        },
                    },
                    spec: {
                        serviceAccountName: account.metadata.name,
                        // The container runtime's default seccomp filter: fluxd, git, ssh, gpg and
                        // kubectl make no syscall it blocks (restricted asks the same of every pod).
                        securityContext: { seccompProfile: { type: "RuntimeDefault" } },
                        volumes: [
                            { name: "git-key", secret: { secretName: gitKey.metadata.name, defaultMode: 0o400 } },
                            { name: "git-keygen", emptyDir: { medium: "Memory" } },
                            { name: "ssh-config", configMap: { name: files.metadata.name, items: [{ key: "known_hosts", path: "known_hosts" }] } },
                            { name: "kubeconfig", configMap: { name: files.metadata.name, items: [{ key: "kubeconfig.yaml", path: "kubeconfig.yaml" }] } },
                        ],
                        containers: [{
                            name: "flux",
                            image: args.settings.image,
                            imagePullPolicy: "IfNotPresent",
                            args: fluxV1Args(args),
                            env: [{ name: "KUBECONFIG", value: "/root/.kubectl/kubeconfig.yaml" }],
                            ports: [
                                { name: "http", containerPort: httpPort, protocol: "TCP" },
                                { name: "metrics", containerPort: metricsPort, protocol: "TCP" },
                            ],
                            volumeMounts: [
                                { name: "git-key", mountPath: "/etc/fluxd/ssh", readOnly: true },
                                { name: "git-keygen", mountPath: keygenDir },
                                { name: "ssh-config", mountPath: "/root/.ssh", readOnly: true },
                                { name: "kubeconfig", mountPath: "/root/.kubectl", readOnly: true },
                            ],
                            securityContext: fluxV1SecurityContext,
                            livenessProbe: identityProbe(),
                            readinessProbe: identityProbe(),
                            resources: {
                                requests: { ...fluxV1Resources.requests },
                                limits: { memory: args.scope === "cluster" ? clusterFluxMemoryLimit : fluxV1Resources.limits.memory },
                            },
                        }],
                    },
                },
            },
        }, parent);

        this.registerOutputs({ namespace });
    }

    private grantRights(name: string, args: FluxV1Args, account: k8s.core.v1.ServiceAccount,
        labels: Record<string, string>): void {
        const parent = { parent: this };
        const subjects = [{ kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace }];
        // Cluster-scoped names carry the namespace: one binding per instance, no clashes between teams.
        const clusterName = pulumi.interpolate`${fluxV1Names.clusterScopedPrefix}${account.metadata.namespace}`;
        const roleRef = (roleName: pulumi.Input<string>) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName });
        let clusterRole: pulumi.Input<string>;
        if (args.scope === "cluster") {
            clusterRole = new k8s.rbac.v1.ClusterRole(`${name}-cluster-role`, {
                metadata: { name: clusterName, labels },
                rules: [
                    { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
                    { nonResourceURLs: ["*"], verbs: ["*"] },
                ],
            }, parent).metadata.name;
        } else {
            // Every right, but through a RoleBinding: only in the instance's own namespace.
            new k8s.rbac.v1.RoleBinding(`${name}-role-binding`, {
                metadata: { name: fluxV1Names.roleBinding, namespace: account.metadata.namespace, labels },
                roleRef: roleRef(args.teamRoles.namespaceAdmin),
                subjects,
            }, parent);
            clusterRole = args.teamRoles.discovery;
        }
        new k8s.rbac.v1.ClusterRoleBinding(`${name}-cluster-role-binding`, {
            metadata: { name: clusterName, labels },
            roleRef: roleRef(clusterRole),
            subjects,
        }, parent);
    }
}

function identityProbe(): k8s.types.input.core.v1.Probe {
    return {
        httpGet: { port: httpPort, path: "/api/flux/v6/identity.pub" },
        initialDelaySeconds: 5,
        timeoutSeconds: 5,
    };
}

// A kubeconfig with no cluster falls back to the in-cluster service account; its only job is the
// default namespace, so that objects without one land in the instance's own namespace.
function kubeconfig(namespace: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters: []",
        "users: []",
        "contexts:",
        "  - name: default",
        "    context:",
        "      cluster: \"\"",
        "      user: \"\"",
        `      namespace: ${namespace}`,
        "current-context: default",
        "preferences: {}",
        "",
    ].join("\n");
}
