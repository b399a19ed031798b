import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MemcachedSettings } from "./settings";
import { platformLabels } from "../../shared/names";
import { fluxV1Names } from "./names";

export interface MemcachedArgs extends MemcachedSettings {
    readonly namespace: pulumi.Input<string>;
}

const port = 11211;
const serviceName = fluxV1Names.memcached;
/** The labels of memcached's pods. */
export const memcachedPodLabels = { "app.kubernetes.io/name": "memcached", "app.kubernetes.io/instance": serviceName } as const;

/**
 * The one memcached all Flux v1 instances share for image metadata, instead of one cache per
 * team: the registry is scanned once per image, not once per team that uses it.
 */
export class Memcached extends pulumi.ComponentResource {
    /** `service.namespace`, as fluxd's --memcached-hostname takes it. */
    public readonly host: pulumi.Output<string>;
    public readonly port: number = port;

    constructor(name: string, args: MemcachedArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Memcached", name, {}, opts);
        const labels = platformLabels("memcached");
        const selector = { ...memcachedPodLabels };
        const metadata = { name: serviceName, namespace: args.namespace, labels };

        new k8s.apps.v1.Deployment(`${name}-deployment`, {
            metadata,
            spec: {
                replicas: 1,
                selector: { matchLabels: selector },
                template: {
                    metadata: { labels: { ...labels, ...selector } },
                    spec: {
                        containers: [{
                            name: "memcached",
                            image: args.image,
                            imagePullPolicy: "IfNotPresent",
                            // -I 5m: image manifests can be larger than memcached's 1m default item size.
                            args: ["-m", `${args.maxMemoryMb}`, "-p", `${port}`, "-I", "5m"],
                            ports: [{ name: "memcached", containerPort: port, protocol: "TCP" }],
                            livenessProbe: { tcpSocket: { port }, initialDelaySeconds: 5 },
                            readinessProbe: { tcpSocket: { port }, initialDelaySeconds: 2 },
                            resources: {
                                requests: { cpu: "50m", memory: "120Mi" },
                                // The cache itself plus room for connections and slab overhead.
                                limits: { memory: `${args.maxMemoryMb + 64}Mi` },
                            },
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: port,
                                runAsGroup: port,
                                allowPrivilegeEscalation: false,
                                readOnlyRootFilesystem: true,
                                capabilities: { drop: ["ALL"] },
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                        }],
                    },
                },
            },
        }, { parent: this });

        const service = new k8s.core.v1.Service(`${name}-service`, {
            metadata,
            spec: {
                selector,
                ports: [{ name: "memcached", port, targetPort: "memcached", protocol: "TCP" }],
            },
        }, { parent: this });

        this.host = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}`;
        this.registerOutputs({ host: this.host, port });
    }
}
