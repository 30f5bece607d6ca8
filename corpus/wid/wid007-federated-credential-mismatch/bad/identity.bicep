// Federated credentials for the shop's workloads; the ServiceAccounts are in serviceaccounts.yaml.
param clusterName string = 'aks-shop'
param ordersNamespace string = 'shop'

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: clusterName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-shop'
  location: 'westeurope'

  // Plural `serviceaccounts`: the group, which no token carries as its subject.
  resource orders 'federatedIdentityCredentials' = {
    name: 'orders'
    properties: {
      issuer: aks.properties.oidcIssuerProfile.issuerURL
      subject: 'system:serviceaccounts:${ordersNamespace}:orders'  // expect: WID007
      audiences: ['api://AzureADTokenExchange']
    }
  }
}

// The ServiceAccount `payments` lives in namespace `billing`, not `shop`.
resource payments 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'payments'
  properties: {
    issuer: 'https://westeurope.oic.prod-aks.azure.com/3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42/8e1f4a6b-0c2d-4e3f-9a5b-7d6c8e0f1a2b/'
    subject: 'system:serviceaccount:shop:payments'  // expect: WID007
    audiences: ['api://AzureADTokenExchange']
  }
}

var exchangeAudiences = ['api://AzureADTokenExchange', 'api://AzureADTokenExchange/']

// Two problems: the namespace is missing, and an extra audience.
resource worker 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'worker'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:worker'  // expect: WID007
    audiences: exchangeAudiences  // expect: WID007
  }
}

// No audiences at all.
resource cart 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {  // expect: WID007
  parent: identity
  name: 'cart'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:shop:cart'
  }
}

// Through a module: the argument is where the wrong subject is written.
module search 'federation.bicep' = {
  name: 'search'
  params: {
    identityName: identity.name
    subject: 'system:serviceaccount:Shop:search'  // expect: WID007
  }
}

// A wildcard, in a condition that is not known to be false.
param federateAll bool
resource everyone 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = if (federateAll) {
  parent: identity
  name: 'everyone'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:shop:*'  // expect: WID007
    audiences: ['api://AzureADTokenExchange']
  }
}
