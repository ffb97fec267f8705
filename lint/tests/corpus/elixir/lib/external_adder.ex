defmodule ExternalAdder do
  use GenServer

  def terminate(_reason, _state) do
    Process.sleep(5) # near-miss: a sleep in non-test code (the simulated slow shutdown)
    IO.puts("closing at #{DateTime.utc_now()}")
  end
end
