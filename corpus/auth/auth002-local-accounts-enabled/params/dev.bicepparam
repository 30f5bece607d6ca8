using 'main.bicep'

param clusterName = 'aks-dev'
param systemNodeCount = 1
// Developers wanted `--admin` credentials.
param disableLocalAccounts = false  // expect: AUTH002
