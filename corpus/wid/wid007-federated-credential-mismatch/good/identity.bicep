// expect: none
// Correct credentials, credentials for other issuers (GitHub Actions, Azure DevOps) whose subjects
// are theirs to define, unknown values, a loop over ServiceAccounts, and national-cloud audiences.
param clusterName string = 'aks-shop'
param serviceAccounts array
param subjectFromPipeline string

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' existing = {
  name: clusterName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-shop'
  location: 'westeurope'
}

resource orders 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'orders'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:shop:orders'
    audiences: ['api://AzureADTokenExchange']
  }
}

resource github 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'github-deploy'
  properties: {
    issuer: 'https://token.actions.githubusercontent.com'
    subject: 'repo:contoso/shop:environment:production'
    audiences: ['api://AzureADTokenExchange']
  }
}

resource pipelines 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'ado'
  properties: {
    issuer: 'https://vstoken.dev.azure.com/3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42'
    subject: 'sc://contoso/shop/shop-connection'
    audiences: ['api://AzureADTokenExchange']
  }
}

resource perAccount 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = [for sa in serviceAccounts: {
  parent: identity
  name: sa.name
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:${sa.namespace}:${sa.name}'
    audiences: ['api://AzureADTokenExchange']
  }
}]

resource unknownSubject 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'from-pipeline'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: subjectFromPipeline
    audiences: ['api://AzureADTokenExchangeUSGov']
  }
}

// A controller installed by Helm in a namespace the manifests of this run do not cover.
resource albController 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'alb-controller'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:azure-alb-system:alb-controller-sa'
    audiences: ['api://AzureADTokenExchange']
  }
}
