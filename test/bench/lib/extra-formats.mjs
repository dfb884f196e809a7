// File formats the rule corpus adds to lib/formats.mjs: Makefile, Markdown, XML/.NET config and a
// Kubernetes Secret's base64 `data:` (connection strings and docker configs come from the rules' own
// examples, which are written that way). Same
// interface as FORMATS (paths, header, entry, filler, footer); `entry` may return undefined when a
// value cannot be written in that format (the caller then picks another).

const xml = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const ident = (n) => n.replace(/[^A-Za-z0-9_]/g, '_');

export const EXTRA_FORMATS = {
  makefile: {
    paths: ['Makefile', 'build/Makefile', 'deploy.mk'],
    header: () => ['.PHONY: build deploy', 'SERVICE ?= billing-api', ''],
    entry: (n, v) => (/[\s$#]/.test(v) ? undefined : [`${ident(n)} ?= ${v}`]),
    filler: (r) => [r.pick(['VERSION := $(shell git describe --tags)', 'GOFLAGS := -trimpath', 'REGION ?= us-east-1'])],
    footer: () => ['', 'deploy: build', '\t./scripts/deploy.sh $(SERVICE)'],
  },
  markdown: {
    paths: ['README.md', 'docs/setup.md', 'docs/deploy.md', 'CONTRIBUTING.md'],
    header: () => ['# Billing API', '', 'Set these variables before you run the service:', '', '```sh'],
    entry: (n, v) => [`export ${ident(n)}="${v}"`],
    filler: (r) => [r.pick(['export LOG_LEVEL=info', 'export PORT=8080', '# then: npm start'])],
    footer: () => ['```', '', 'See the runbook for rotation.'],
  },
  dotnetxml: {
    paths: ['Web.config', 'App.config', 'src/Billing.Web/web.config'],
    header: () => ['<?xml version="1.0" encoding="utf-8"?>', '<configuration>', '  <appSettings>'],
    entry: (n, v) => (/[&"<>]/.test(v) ? undefined : [`    <add key="${xml(n)}" value="${v}" />`]),
    filler: (r) => [`    <add key="${r.pick(['Environment', 'LogLevel', 'Region'])}" value="${r.pick(['Production', 'Information', 'westeurope'])}" />`],
    footer: () => ['  </appSettings>', '</configuration>'],
  },
  k8sdata: {
    paths: ['k8s/secrets.yaml', 'deploy/k8s/credentials-secret.yaml', 'charts/app/templates/secret.yaml'],
    header: () => ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app-env', '  namespace: prod', 'type: Opaque', 'data:'],
    // The key is the env var name a Deployment's envFrom exposes; the value is base64, as kubectl writes it.
    entry: (n, v) => (/^[-._a-zA-Z0-9]+$/.test(n) ? [`  ${n}: ${Buffer.from(v).toString('base64')}`] : undefined),
    filler: () => [],
  },
};
