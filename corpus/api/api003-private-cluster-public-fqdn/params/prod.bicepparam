using 'main.bicep'

param publicFqdn = true  // expect: API003
