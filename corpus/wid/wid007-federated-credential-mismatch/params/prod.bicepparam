using 'main.bicep'

param workloadNamespace = 'apps '
param audiences = ['api://AzureADTokenExchange', 'https://management.azure.com']  // expect: WID007
