// The parameter file gives a namespace with a trailing space; the subject is built here from it,
// so it is reported where it is built (a computed value is located at its expression).
param workloadNamespace string = 'apps'
param workloadServiceAccount string = 'api'
param audiences array = ['api://AzureADTokenExchange']

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-apps'
  location: 'westeurope'
}

resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'api'
  properties: {
    issuer: 'https://northeurope.oic.prod-aks.azure.com/3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/'
    subject: 'system:serviceaccount:${workloadNamespace}:${workloadServiceAccount}'  // expect: WID007
    audiences: audiences
  }
}
