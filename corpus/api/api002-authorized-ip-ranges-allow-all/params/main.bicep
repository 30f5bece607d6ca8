// expect: none
// The template is fine on its own: the parameter file opens the ranges.
param apiRanges array = ['203.0.113.0/24']

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-staging'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    dnsPrefix: 'staging'
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
    apiServerAccessProfile: {
      authorizedIPRanges: apiRanges
    }
  }
}
