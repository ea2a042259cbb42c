#!/usr/bin/env python3
"""Writes the JSON Schemas that CI validates openshift against (ManifestSchemaTest).

Source: the schemas shipped in the fabric8 Kubernetes/OpenShift model jars (Maven Central, 6.13.4, the last line
that ships them), generated from the Kubernetes and OpenShift API types. They are made strict here: an unknown
field is an error (the API server drops unknown fields silently, which hides typos), the fields the API requires
are required, apiVersion and kind are fixed, and the two string-or-number types get their wire form.

Run from the repository root after changing the list of kinds:  python3 openshift/schemas/generate.py
"""
import copy
import json
import os
import subprocess
import tempfile
import zipfile

VERSION = "6.13.4"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# apiVersion, kind -> fabric8 model jar whose schema holds the type.
KINDS = [
    ("v1", "ServiceAccount", "kubernetes-model-core"),
    ("v1", "ConfigMap", "kubernetes-model-core"),
    ("v1", "Secret", "kubernetes-model-core"),
    ("v1", "Service", "kubernetes-model-core"),
    ("apps/v1", "Deployment", "kubernetes-model-apps"),
    ("policy/v1", "PodDisruptionBudget", "kubernetes-model-policy"),
    ("networking.k8s.io/v1", "NetworkPolicy", "kubernetes-model-networking"),
    ("route.openshift.io/v1", "Route", "openshift-model"),
    ("monitoring.coreos.com/v1", "ServiceMonitor", "openshift-model-monitoring"),
]

# Fields the API server requires (Kubernetes/OpenShift API reference), by the type's simple name, or by its full
# definition name where two APIs use the same simple name (the Route's TLSConfig is not the ServiceMonitor's).
REQUIRED = {
    "Deployment": ["apiVersion", "kind", "metadata", "spec"],
    "DeploymentSpec": ["selector", "template"],
    "PodSpec": ["containers"],
    "Container": ["name", "image"],
    "ContainerPort": ["containerPort"],
    "EnvVar": ["name"],
    "SecretKeySelector": ["key", "name"],
    "ConfigMapKeySelector": ["key", "name"],
    "HTTPGetAction": ["port"],
    "Volume": ["name"],
    "VolumeMount": ["name", "mountPath"],
    "ServicePort": ["port"],
    "Route": ["apiVersion", "kind", "metadata", "spec"],
    "RouteSpec": ["to"],
    "RouteTargetReference": ["kind", "name"],
    "os_route_TLSConfig": ["termination"],
    "ServiceMonitorSpec": ["selector", "endpoints"],
    "NetworkPolicySpec": ["podSelector"],
}

ENUMS = {
    ("Container", "imagePullPolicy"): ["Always", "IfNotPresent", "Never"],
    ("ContainerPort", "protocol"): ["TCP", "UDP", "SCTP"],
    ("ServicePort", "protocol"): ["TCP", "UDP", "SCTP"],
    ("NetworkPolicyPort", "protocol"): ["TCP", "UDP", "SCTP"],
    ("DeploymentStrategy", "type"): ["Recreate", "RollingUpdate"],
    ("ServiceSpec", "type"): ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    ("TLSConfig", "termination"): ["edge", "passthrough", "reencrypt"],
    ("TLSConfig", "insecureEdgeTerminationPolicy"): ["Allow", "None", "Redirect", "", None],
    ("RouteSpec", "wildcardPolicy"): ["None", "Subdomain"],
    ("RouteTargetReference", "kind"): ["Service"],
    ("HTTPGetAction", "scheme"): ["HTTP", "HTTPS"],
    ("Endpoint", "scheme"): ["http", "https"],
}

JAVA_KEYS = {"javaType", "javaInterfaces", "existingJavaType", "javaOmitEmpty", "javaName", "id", "$module"}
INT_OR_STRING = {"anyOf": [{"type": "integer"}, {"type": "string"}]}
QUANTITY = {"anyOf": [{"type": "string"}, {"type": "number"}]}


def simple_name(definition_name):
    return definition_name.rsplit("_", 1)[-1]


def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref:
            found.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in JAVA_KEYS}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def tighten(name, definition):
    simple = simple_name(name)
    if simple == "IntOrString":
        return copy.deepcopy(INT_OR_STRING)
    if simple == "Quantity":
        return copy.deepcopy(QUANTITY)
    definition = strip(definition)
    props = definition.get("properties")
    if props:
        required = [p for p, s in props.items() if isinstance(s, dict) and s.pop("required", False) is True]
        required += [p for p in REQUIRED.get(name, REQUIRED.get(simple, [])) if p not in required]
        if required:
            definition["required"] = sorted(required)
        for (type_name, field), values in ENUMS.items():
            if type_name == simple and field in props:
                props[field]["enum"] = values
                props[field].pop("type", None)
        # Maps (labels, data) keep their value schema; every other object is closed.
        if not isinstance(definition.get("additionalProperties"), dict):
            definition["additionalProperties"] = False
    return definition


def schema_for(api_version, kind, source):
    definitions = source["definitions"]
    root = next(n for n, d in definitions.items()
                if d.get("properties", {}).get("kind", {}).get("default") == kind
                and d.get("properties", {}).get("apiVersion", {}).get("default") == api_version)
    closure, todo = set(), [root]
    while todo:
        name = todo.pop()
        if name in closure:
            continue
        closure.add(name)
        found = set()
        refs(definitions[name], found)
        todo.extend(found - closure)
    out = {name: tighten(name, definitions[name]) for name in sorted(closure)}
    props = out[root]["properties"]
    props["apiVersion"] = {"enum": [api_version]}
    props["kind"] = {"enum": [kind]}
    # Every object is named; pod templates (the same ObjectMeta type) are not.
    props["metadata"] = {"allOf": [props["metadata"], {"required": ["name"]}]}
    out[root]["required"] = sorted(set(out[root].get("required", [])) | {"apiVersion", "kind", "metadata"})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": f"{api_version} {kind} (strict; from fabric8 {VERSION} model schemas)",
        "$ref": f"#/definitions/{root}",
        "definitions": out,
    }


def main():
    with tempfile.TemporaryDirectory() as tmp:
        artifacts = sorted({k[2] for k in KINDS})
        for artifact in artifacts:
            subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-ntp", "dependency:copy",
                            f"-Dartifact=io.fabric8:{artifact}:{VERSION}", f"-DoutputDirectory={tmp}"],
                           check=True, cwd=tmp)
        for api_version, kind, artifact in KINDS:
            with zipfile.ZipFile(os.path.join(tmp, f"{artifact}-{VERSION}.jar")) as jar:
                source = json.loads(jar.read("schema/validation-schema.json"))
            group_version = api_version.replace("/", "-").replace(".", "-")
            path = os.path.join(HERE, f"{group_version}-{kind.lower()}.json")
            with open(path, "w") as f:
                json.dump(schema_for(api_version, kind, source), f, indent=1, sort_keys=True)
                f.write("\n")
            print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
