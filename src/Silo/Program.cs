using Kernelsmith.ServiceDefaults;
using Kernelsmith.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddKernelsmithDefaults("kernelsmith-silo");
builder.AddKernelsmithSilo();

var app = builder.Build();
app.MapKernelsmithSilo();
app.Run();
