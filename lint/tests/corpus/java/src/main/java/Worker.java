class Worker {
    void loop() throws Exception {
        Thread.sleep(1000); // near-miss: a sleep in non-test code
    }
}
