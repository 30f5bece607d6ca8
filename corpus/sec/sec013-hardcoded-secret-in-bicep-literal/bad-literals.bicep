// Secrets in string literals outside resources, parameters and module calls: known formats
// anywhere, and literals under names that say they hold a secret.
var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=stordersweu;AccountKey=klFZNRuhm9ha+QrMzFA0DpDv4TqTEyPpz7tuR/mjVtJMQZNLZTPoUhoASiDGWbYfFnvIB+TAiqWJyZczwl72lA==;EndpointSuffix=core.windows.net'  // expect: SEC013(azure-storage-conn-string)
var cosmosConnection = 'AccountEndpoint=https://cosmos-orders.documents.azure.com:443/;AccountKey=/13zBxpekQ7pZOJL/aT4QxlahhnpJ18oZrnWAE0sU/ghDvXlIq/4xmREsrc0lUJMXVRW0pACf29vYHkU3+Z4WQ==;'  // expect: SEC013(azure-cosmos-conn-string)
var queueConnection = 'Endpoint=sb://sb-orders.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=8Eo94h4OkzZy6VY4qdaQSKBhW164x3PRczU7H7XzR+c='  // expect: SEC013(azure-servicebus-conn-string)
var exportUrl = 'https://stordersweu.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=FlpFSawZbv3zOUWzTgjlcy12QNLysMPHi2FoA8GOogk%3D'  // expect: SEC013(azure-sas-url)
var sasToken = 'sv=2022-11-02&sr=c&sp=r&se=2030-01-01&sig=AuIauuaftdkI41rnbcTa6iPbIdaLlu26CAjoSSNA8dw%3D'  // expect: SEC013(azure-sas-token)
var deploymentPrincipal = {
  clientId: '5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13'
  credential: 'f1i8Q~4RkjPFZ68ImlbFSM6LHIwrJoKsNuVkdJoo'  // expect: SEC013(entra-client-secret)
}
var releaseToken = 'ghp_BHmfqWBuqnwhn6npXb6GNC1rgpLVQ3NvspBs'  // expect: SEC013(github-token)
var archiveKey = 'wMDgaYa7OM+EGJGceQlY/Pm0kAaGYhz2MgNZNCPPNW9pUldWxMxZqC6D15VQXuV4nYkhev2r21yv+AStguvQ8Q=='  // expect: SEC013(azure-storage-key)
var pullKey = '5EfKWxohSPOidsPHTNwGN4nN1RsuvnEez0mKIQapoa+ACRBbhk47'  // expect: SEC013(azure-container-registry-key)
var databaseUrl = 'postgres://orders:X1eyPNtB3l6KXUoqdZWvFsxDjiWeBp8X@pg-orders.postgres.database.azure.com:5432/orders'  // expect: SEC013(url-credentials)
var smtpPassword = 'Tv1AAq5f!b0q!Jak'  // expect: SEC013(generic-password)
var paymentSettings = {
  endpoint: 'https://api.payments.example.net'
  apiKey: '1WrZhZWFxHGcjcB2zM0fWYOKpvTenbjx'  // expect: SEC013(generic-api-key)
}
var keys = [
  'w4wuaGQUsbNa6wCfqOecFIqs5OX7MNyF42lbSUfuOltafwlV/A8wN8bQAqS9LwaI5/jZov4QWJO3+AStAuRycg=='  // expect: SEC013(azure-storage-key)
]
var signingKey = '''
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF
-----END RSA PRIVATE KEY-----
'''  // expect@-3: SEC013(private-key)
var alertsWebhook = 'https://hooks.slack.com/services/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SQWj4fVx'  // expect: SEC013(slack-webhook)

output ordersConnection string = 'Server=tcp:sql-orders.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=s_y0SsknbO1YbGN2;'  // expect: SEC013(sql-conn-string)
