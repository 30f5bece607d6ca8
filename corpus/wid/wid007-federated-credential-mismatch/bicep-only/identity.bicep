// expect: none
// No manifests in this run: whether the ServiceAccount exists cannot be checked, so the
// well-formed subject is not reported.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-batch'
  location: 'westeurope'
}

resource batch 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'batch'
  properties: {
    issuer: 'https://westeurope.oic.prod-aks.azure.com/3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42/8e1f4a6b-0c2d-4e3f-9a5b-7d6c8e0f1a2b/'
    subject: 'system:serviceaccount:batch:importer'
    audiences: ['api://AzureADTokenExchange']
  }
}
