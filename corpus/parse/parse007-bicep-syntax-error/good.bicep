// expect: none
// Current syntax that older parsers reject: user-defined types, lambdas, safe access,
// spread, multi-line strings, imports, nested resources, loops and conditions.
targetScope = 'resourceGroup'

metadata description = 'AKS cluster with a node pool per zone'

@export()
type poolConfig = {
  name: string
  @minValue(1)
  count: int
  zones: string[]?
}

@description('The cluster name')
param clusterName string = 'aks-prod'
param pools poolConfig[] = [
  { name: 'system', count: 3 }
]
param deployDiagnostics bool = false

var poolNames = map(pools, p => p.name)
var firstZones = pools[?0].?zones ?? ['1']
var defaults = { osDiskSizeGB: 128, vmSize: 'Standard_D4s_v5' }
var script = '''
#!/bin/sh
echo "${not_an_interpolation}"
'''

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: clusterName
  location: resourceGroup().location
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: clusterName
    apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false }
    disableLocalAccounts: true
    aadProfile: { managed: true, enableAzureRBAC: true }
    oidcIssuerProfile: { enabled: true }
    securityProfile: { workloadIdentity: { enabled: true } }
    addonProfiles: {
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } }
    }
    agentPoolProfiles: [for pool in pools: {
      ...defaults
      name: pool.name
      count: pool.count
      availabilityZones: firstZones
      mode: pool.name == 'system' ? 'System' : 'User'
    }]
  }

  resource admins 'maintenanceConfigurations' = {
    name: 'default'
    properties: {}
  }
}

resource flux 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
  name: 'flux'
  scope: aks
  properties: { extensionType: 'microsoft.flux' }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (deployDiagnostics) {
  name: 'aks-diagnostics'
  scope: aks
  properties: {
    logs: [for category in ['kube-audit', 'kube-apiserver']: { category: category, enabled: true }]
  }
}

output poolNames string[] = poolNames
output scriptLength int = length(script)
