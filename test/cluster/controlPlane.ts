// A real Kubernetes control plane on loopback: etcd, kube-apiserver and kube-controller-manager of
// a pinned release, built from source by build-control-plane.sh, started with certificates made
// here by openssl, and stopped with nothing left running, whatever the tests did.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { kubernetesVersions } from "../../components/shared/versions";
import { ApiClient, Principal } from "./apiClient";

/** The versions this run tests: both pins, or those named in KUBERNETES_VERSIONS (comma-separated). */
export function testedVersions(): string[] {
    const named = process.env.KUBERNETES_VERSIONS?.split(",").map((v) => v.trim()).filter((v) => v);
    return named && named.length > 0 ? named : [kubernetesVersions.newest, kubernetesVersions.oldest];
}

const buildScript = path.join(__dirname, "build-control-plane.sh");

/**
 * The admission plugins a real cluster runs. kube-apiserver enables most by default
 * (k8s.io/kubernetes pkg/kubeapiserver/options/plugins.go, DefaultOffAdmissionPlugins); the list
 * is given in full so that none is missing on any version we run.
 */
export const admissionPlugins = [
    "NamespaceLifecycle", "LimitRanger", "ServiceAccount", "NodeRestriction", "TaintNodesByCondition", "PodSecurity",
    "Priority", "DefaultTolerationSeconds", "DefaultStorageClass", "StorageObjectInUseProtection",
    "PersistentVolumeClaimResize", "RuntimeClass", "CertificateApproval", "CertificateSigning",
    "CertificateSubjectRestriction", "DefaultIngressClass", "MutatingAdmissionWebhook",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota",
] as const;

/**
 * Controllers with nothing to do on a cluster without nodes or a cloud: they would only log
 * (names as kube-controller-manager 1.28+ spells them, `--controllers` in its --help).
 */
const idleControllers = [
    "node-ipam-controller", "node-lifecycle-controller", "persistentvolume-binder-controller",
    "persistentvolume-attach-detach-controller", "ttl-controller",
];

/** The three binaries of one Kubernetes release, built once into the cache (a few minutes cold). */
export function buildControlPlane(version: string): string {
    try {
        return execFileSync("bash", [buildScript, version], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop()!;
    } catch (e) {
        throw new Error(`could not build Kubernetes ${version} (test/cluster/build-control-plane.sh; it needs Go and the Go module proxy): ${(e as Error).message}`);
    }
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

function openssl(dir: string, ...args: string[]): void {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** A certificate authority of the run: the server's certificate and every client's are signed by it. */
class Authority {
    private serial = 1;
    constructor(private readonly dir: string) {
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=gitops-platform-test-ca", "-days", "2");
        openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "client.key");
    }

    get ca(): string {
        return path.join(this.dir, "ca.crt");
    }

    /** A certificate for `subject` (an x509 subject), with the given key and extensions. */
    sign(file: string, subject: string, key = "client.key", extensions: string[] = []): string {
        openssl(this.dir, "req", "-new", "-key", key, "-subj", subject, "-x509", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-days", "2", "-set_serial", String(this.serial++), "-out", file, ...extensions.flatMap((e) => ["-addext", e]));
        return path.join(this.dir, file);
    }

    /**
     * A client certificate: the x509 authenticator takes the user name from CN and the groups from
     * each O (k8s.io/apiserver pkg/authentication/request/x509/x509.go, CommonNameUserConversion).
     */
    client(principal: Principal): { cert: string; key: string } {
        const escape = (s: string) => s.replace(/[/\\,+=]/g, (c) => `\\${c}`);
        const subject = `/CN=${escape(principal.username)}${principal.groups.filter((g) => g !== "system:authenticated").map((g) => `/O=${escape(g)}`).join("")}`;
        const file = `client-${this.serial}.crt`;
        return { cert: this.sign(file, subject), key: path.join(this.dir, "client.key") };
    }
}

/** The control plane each client talks to (ControlPlane.as), for helpers given only a client. */
const planeOfClient = new WeakMap<ApiClient, ControlPlane>();

/** The control plane `client` was made by, if any. */
export function planeOf(client: ApiClient): ControlPlane | undefined {
    return planeOfClient.get(client);
}

const running = new Set<ChildProcess>();
let exitHookSet = false;
function track(child: ChildProcess): void {
    running.add(child);
    child.once("exit", () => running.delete(child));
    if (!exitHookSet) {
        exitHookSet = true;
        // Whatever ends the test process, no server stays behind.
        process.once("exit", () => running.forEach((c) => c.kill("SIGKILL")));
        for (const signal of ["SIGINT", "SIGTERM"] as const) {
            process.once(signal, () => {
                running.forEach((c) => c.kill("SIGKILL"));
                process.exit(130);
            });
        }
    }
}

/** A cluster admin's principal, bound to cluster-admin by the bootstrap ClusterRoleBinding of system:masters. */
export const admin: Principal = { username: "gitops-platform-test-admin", groups: ["system:masters"] };

export interface ControlPlaneOptions {
    /** Log each process's output to files in the run's folder (always kept when a start fails). */
    readonly quiet?: boolean;
}

export class ControlPlane {
    private readonly clients = new Map<string, ApiClient>();
    private stopped = false;
    /** When the running kube-controller-manager was started, and its (re)start under way. */
    private controllerManagerStarted = 0;
    private controllerManagerStart?: Promise<void>;
    private launchControllerManager?: () => Promise<ChildProcess>;
    private controllerManager?: ChildProcess;
    /** When a CRD was last established on this server (Applier). */
    crdEstablishedAt = 0;

    private constructor(
        readonly version: string,
        readonly url: string,
        readonly dir: string,
        private readonly authority: Authority,
        private readonly processes: ChildProcess[],
    ) {}

    /** Builds (once) and starts a control plane; ready when /readyz answers and the namespaces' controllers run. */
    static async start(version: string): Promise<ControlPlane> {
        const bin = buildControlPlane(version);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gitops-platform-k8s-${version}-`));
        const authority = new Authority(dir);
        authority.sign("server.crt", "/CN=kube-apiserver", "client.key",
            ["subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc", "extendedKeyUsage=serverAuth"]);
        openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sa.key");
        openssl(dir, "ec", "-in", "sa.key", "-pubout", "-out", "sa.pub");
        const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
        const processes: ChildProcess[] = [];
        const launch = (name: string, args: string[]) => {
            const log = fs.openSync(path.join(dir, `${name}.log`), "a");
            const child = spawn(path.join(bin, name), args, { cwd: dir, stdio: ["ignore", log, log] });
            fs.closeSync(log);
            track(child);
            processes.push(child);
            return child;
        };
        const failed = (why: string) => {
            processes.forEach((c) => c.kill("SIGKILL"));
            const tail = (name: string) => {
                const file = path.join(dir, `${name}.log`);
                return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n") : "";
            };
            return new Error(`Kubernetes ${version} did not start: ${why} (logs in ${dir})\n${["etcd", "kube-apiserver", "kube-controller-manager"].map((n) => `--- ${n}\n${tail(n)}`).join("\n")}`);
        };

        launch("etcd", [
            "--name=default", `--data-dir=${path.join(dir, "etcd")}`,
            `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
            `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
            `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`, "--unsafe-no-fsync", "--log-level=warn",
        ]);
        const apiserver = launch("kube-apiserver", [
            `--etcd-servers=http://127.0.0.1:${etcdClient}`,
            "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--endpoint-reconciler-type=none", `--secure-port=${apiPort}`, `--cert-dir=${dir}`,
            "--tls-cert-file=server.crt", "--tls-private-key-file=client.key", "--client-ca-file=ca.crt",
            "--service-account-issuer=https://kubernetes.default.svc", "--service-account-key-file=sa.pub",
            "--service-account-signing-key-file=sa.key", "--api-audiences=https://kubernetes.default.svc",
            "--service-cluster-ip-range=10.96.0.0/16", "--authorization-mode=RBAC",
            // kube-apiserver's default, stated: an unauthenticated request is system:anonymous.
            "--anonymous-auth=true", "--allow-privileged=true",
            `--enable-admission-plugins=${admissionPlugins.join(",")}`,
            "--profiling=false", "--v=0",
        ]);
        const url = `https://127.0.0.1:${apiPort}`;
        const plane = new ControlPlane(version, url, dir, authority, processes);
        const adminClient = plane.as(admin);
        const deadline = Date.now() + 60_000;
        for (;;) {
            if (apiserver.exitCode !== null) {
                throw failed(`kube-apiserver exited with ${apiserver.exitCode}`);
            }
            const ready = await adminClient.request("GET", "/readyz").catch(() => undefined);
            if (ready?.status === 200) {
                break;
            }
            if (Date.now() > deadline) {
                throw failed("/readyz did not answer 200 within 60 s");
            }
            await new Promise((r) => setTimeout(r, 200));
        }

        const kcm = authority.client({ username: "system:kube-controller-manager", groups: [] });
        fs.writeFileSync(path.join(dir, "kcm.kubeconfig"), kubeconfig(url, authority.ca, kcm));
        plane.launchControllerManager = async () => launch("kube-controller-manager", [
            "--kubeconfig=kcm.kubeconfig", "--authentication-kubeconfig=kcm.kubeconfig", "--authorization-kubeconfig=kcm.kubeconfig",
            "--use-service-account-credentials=true", "--service-account-private-key-file=sa.key", "--root-ca-file=ca.crt",
            "--leader-elect=false", "--bind-address=127.0.0.1", `--secure-port=${await freePort()}`,
            `--controllers=*,${idleControllers.map((c) => `-${c}`).join(",")}`,
            // Namespaces, quotas and replica sets are reconciled at once, not in a real cluster's batches.
            "--concurrent-namespace-syncs=4",
            // Every quota recounted every 10 s, not 5 min: a quota made before the controller found a
            // CRD counts that kind only at the next full recount (pkg/controller/resourcequota,
            // enqueueAll), which the program's first `up` waits for (components/fence/teamFence.ts;
            // about 5 min with the default, docs/fence.md).
            "--resource-quota-sync-period=10s", "--v=0",
        ]);
        plane.controllerManagerStarted = Date.now();
        const controllerManager = await plane.launchControllerManager();
        plane.controllerManager = controllerManager;
        // The controller manager is up when the default namespace has its default ServiceAccount.
        for (;;) {
            if (controllerManager.exitCode !== null) {
                throw failed(`kube-controller-manager exited with ${controllerManager.exitCode}`);
            }
            const account = await adminClient.request("GET", "/api/v1/namespaces/default/serviceaccounts/default");
            if (account.status === 200) {
                break;
            }
            if (Date.now() > deadline) {
                throw failed("the controller manager made no default ServiceAccount within 60 s");
            }
            await new Promise((r) => setTimeout(r, 200));
        }
        return plane;
    }

    /** A client that authenticates as `principal` with a certificate of its own; undefined sends no credential at all. */
    as(principal: Principal | undefined): ApiClient {
        const key = principal === undefined ? "" : `${principal.username}\n${[...principal.groups].sort().join("\n")}`;
        let client = this.clients.get(key);
        if (client === undefined) {
            const credential = principal === undefined ? undefined : this.authority.client(principal);
            client = new ApiClient(this.url, fs.readFileSync(this.authority.ca), credential && {
                cert: fs.readFileSync(credential.cert), key: fs.readFileSync(credential.key),
            });
            this.clients.set(key, client);
            planeOfClient.set(client, this);
        }
        return client;
    }

    /**
     * Has the real quota controller see every CRD established so far, without its 30 s wait:
     * kube-controller-manager finds new resources only every 30 s (cmd/kube-controller-manager,
     * the resource quota controller's Sync period, hard-coded), but at its start it discovers
     * every resource and counts every quota (pkg/controller/resourcequota: each quota of its
     * informer is enqueued). So when a CRD was established after it started, it is restarted,
     * as a cluster's controller manager may be; the same controller then counts. Nothing of the
     * quota's status is written here.
     */
    async discoverCrds(): Promise<void> {
        if (this.stopped || this.launchControllerManager === undefined) {
            return;
        }
        if (this.controllerManagerStart === undefined && this.crdEstablishedAt >= this.controllerManagerStarted) {
            this.controllerManagerStart = (async () => {
                const old = this.controllerManager;
                if (old && old.exitCode === null) {
                    const exited = new Promise((r) => old.once("exit", r));
                    old.kill("SIGKILL");
                    await exited;
                }
                this.controllerManagerStarted = Date.now();
                this.controllerManager = await this.launchControllerManager!();
            })().finally(() => {
                this.controllerManagerStart = undefined;
            });
        }
        await this.controllerManagerStart;
    }

    /** Kills every process and removes the run's folder. */
    stop(): void {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        this.processes.forEach((c) => c.kill("SIGKILL"));
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

function kubeconfig(url: string, ca: string, credential: { cert: string; key: string }): string {
    return JSON.stringify({
        apiVersion: "v1", kind: "Config",
        clusters: [{ name: "test", cluster: { server: url, "certificate-authority": ca } }],
        users: [{ name: "test", user: { "client-certificate": credential.cert, "client-key": credential.key } }],
        contexts: [{ name: "test", context: { cluster: "test", user: "test" } }],
        "current-context": "test",
    });
}
