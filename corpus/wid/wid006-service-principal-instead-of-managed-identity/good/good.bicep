// expect: none
// Hard negatives: managed identities (with or without `clientId: 'msi'`), values only known at
// deployment, an `existing` cluster, and an OpenShift cluster whose service principal is its own
// business.
param location string = resourceGroup().location
param clientId string
param profileOverrides object
@secure()
param openShiftSecret string

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

resource systemAssigned 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-system-assigned'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-system-assigned'
  }
}

resource controlPlaneIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-aks-control-plane'
  location: location
}

resource userAssigned 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-user-assigned'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${controlPlaneIdentity.id}': {}
    }
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-user-assigned'
  }
}

// `msi` (any case) means the managed identity.
resource explicitMsi 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-msi'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-msi'
    servicePrincipalProfile: {
      clientId: 'MSI'
    }
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
    servicePrincipalProfile: {
      clientId: clientId
    }
  }
}

resource withOverrides 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-overrides'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    ...hardening
    dnsPrefix: 'aks-overrides'
    servicePrincipalProfile: {
      clientId: 'msi'
      ...profileOverrides
    }
  }
}

resource shared 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: 'aks-shared'
}

resource openShift 'Microsoft.RedHatOpenShift/openShiftClusters@2023-11-22' = {
  name: 'aro-prod'
  location: location
  properties: {
    clusterProfile: {
      domain: 'aro-prod'
    }
    servicePrincipalProfile: {
      clientId: '0c5f7a93-e1b8-4d26-a3f9-6b2d8e4c7015'
      clientSecret: openShiftSecret
    }
  }
}
