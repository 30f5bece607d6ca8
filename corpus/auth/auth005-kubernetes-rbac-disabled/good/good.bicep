// expect: none
// Hard negatives: RBAC on or left at its default (on), values only known at deployment, an
// `existing` cluster and resources that are not clusters.
param location string = resourceGroup().location
param enableRbac bool
param clusterOverrides object

var hardening = {
  disableLocalAccounts: true
  aadProfile: {
    managed: true
    enableAzureRBAC: true
  }
  apiServerAccessProfile: {
    enablePrivateCluster: true
    enablePrivateClusterPublicFQDN: false
  }
  oidcIssuerProfile: {
    enabled: true
  }
  securityProfile: {
    workloadIdentity: {
      enabled: true
    }
  }
  addonProfiles: {
    azureKeyvaultSecretsProvider: {
      enabled: true
      config: {
        enableSecretRotation: 'true'
      }
    }
  }
}

// Not a cluster: settings of a chart that has its own RBAC switch.
var chartValues = {
  rbac: {
    create: false
  }
  enableRBAC: false
}

resource explicit 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-explicit'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-explicit'
    enableRBAC: true
  }
}

// Not written: Kubernetes RBAC is on by default.
resource byDefault 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-default'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-default'
  }
}

resource fromRequiredParameter 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-required'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-required'
    enableRBAC: enableRbac
  }
}

resource fromResourceGroup 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-tagged'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-tagged'
    enableRBAC: !contains(resourceGroup().tags, 'no-rbac')
  }
}

resource withOverrides 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-overrides'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    enableRBAC: false
    ...clusterOverrides
    ...hardening
    dnsPrefix: 'aks-overrides'
  }
}

resource shared 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: 'aks-shared'
}

resource fleet 'Microsoft.ContainerService/fleets@2024-04-01' = {
  name: 'fleet-prod'
  location: location
  properties: {
    hubProfile: {
      dnsPrefix: 'fleet-prod'
    }
  }
}

output values object = chartValues
