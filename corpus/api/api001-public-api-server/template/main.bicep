// Public API servers written in the template itself.
param location string = resourceGroup().location
param clusterName string = 'aks-prod'

// The other hardening every cluster here gets; this folder is about the API server.
var hardening = {
  disableLocalAccounts: true
  aadProfile: {
    managed: true
    enableAzureRBAC: true
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

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {  // expect: API001
  name: clusterName
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: clusterName
    ...hardening
  }
}

resource aksExplicit 'Microsoft.ContainerService/managedClusters@2023-08-01' = {
  name: '${clusterName}-2'
  location: location
  properties: {
    dnsPrefix: 'two'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
        }
      }
    }
    apiServerAccessProfile: {
      enablePrivateCluster: false  // expect: API001
      authorizedIPRanges: []
    }
    ...hardening
  }
}

var publicProfile = {
  enablePrivateCluster: false
}

resource aksFromVar 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: '${clusterName}-3'
  location: location
  properties: {
    apiServerAccessProfile: publicProfile  // expect: API001
    ...hardening
  }
}

resource loopClusters 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for region in ['weu', 'neu']: {  // expect: API001
  name: 'aks-${region}'
  location: region
  properties: {
    dnsPrefix: 'aks-${region}'
    ...hardening
  }
}]
